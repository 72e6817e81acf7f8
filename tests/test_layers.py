"""Layers: whose annotations show, the order a key cycles them, blind annotation, margin letters."""

from annotations.model import CLAIM, Annotation
from annotations.team.layers import EVERYONE, MINE, Layer, layers, margin_letters, next_layer, visible

TEXT = "One. Two. Three. Four.\n"


def _ann(who: str, n: int) -> Annotation:
    return Annotation.create(article_id="a" * 64, source="s", article_text=TEXT, label=CLAIM,
                             start=5 * n, end=5 * n + 4, annotator=who)


ANNS = [_ann("ana", 0), _ann("ben", 1), _ann("gold", 2), _ann("cy", 3)]


def test_the_cycle_is_mine_everyone_each_other_annotator_then_gold():
    order = layers("ana", {"ana", "ben", "cy", "gold"})
    assert [l.kind for l in order] == [MINE, EVERYONE, "ben", "cy", "gold"]
    layer = Layer(MINE)
    seen = []
    for _ in range(6):
        seen.append(layer.kind)
        layer = next_layer(layer, "ana", {"ana", "ben", "cy", "gold"})
    assert seen == [MINE, EVERYONE, "ben", "cy", "gold", MINE]


def test_each_layer_shows_only_its_annotations():
    assert [a.annotator for a in visible(ANNS, Layer(MINE), "ana")] == ["ana"]
    assert len(visible(ANNS, Layer(EVERYONE), "ana")) == 4
    assert [a.annotator for a in visible(ANNS, Layer("gold"), "ana")] == ["gold"]
    assert Layer(EVERYONE).title("ana") == "everyone's annotations" and Layer("ben").title("ana") == "ben's annotations"
    assert Layer("gold").title("ana") == "gold annotations"


def test_ones_own_layer_is_called_yours_with_the_name_after():
    assert Layer(MINE).title("ana") == "your annotations (ana)"


def test_blind_has_only_ones_own_layer():
    assert layers("ana", {"ana", "ben"}, blind=True) == [Layer(MINE)]
    assert next_layer(Layer(MINE), "ana", {"ana", "ben"}, blind=True) == Layer(MINE)


def test_margin_letters_differ_per_annotator():
    assert margin_letters(["ana", "ben", "bea", "gold"]) == {"ana": "A", "bea": "B", "ben": "E", "gold": "G"}
    letters = margin_letters([f"user{n}" for n in range(12)])
    assert len(set(letters.values())) == 12
