"""Given names that say which pronoun a person most likely takes.

Only names that are overwhelmingly used for one gender are listed; a name that
is common for both (Alex, Sam, Jordan, Andrea) is left out, so the article's own
words decide. An honorific or a gendered noun beside the name ("Mr", "her
husband") is read before the first name.
"""

from __future__ import annotations

_FEMALE = """
    abigail ada adaeze adriana agnes aisha alice alicia alison amelia amira amy ana anastasia
    angela anita anna anne annette astrid audrey ayesha barbara beatrice bethan bethany brenda
    bridget brigid camille carmen carol caroline catherine cecilia charlotte chiara chloe claire
    clara claudia daniela deborah diana dorothy edith eilidh elena eleanor elif elisabeth eliza
    elizabeth ellen emily emma esther eva fatima fiona freya gemma georgia gloria grace hana
    hannah harriet hazel heather helen helena hilde ilse ines ingrid irene iris isabel isabella
    jane janet jennifer jessica joanna josephine judith julia julie karen katarina kate katherine
    kathleen laura leanne leila lena linda lisa lucia lucy lydia maeve magdalena maria marianne
    marie marion marta martha mary megan mei miriam monika nadia naomi natalia natasha
    nicola nina noor olga olivia patricia paula pauline petra priya rachel rebecca renate
    rhiannon rosa rose ruth sabine sally sandra sara sarah seren sigrid simone siobhan sofia sonia
    sophie susan suzanne svetlana tanya teresa tessa ursula valentina vanessa vera victoria
    wendy yasmin yvonne zainab zoe
"""

_MALE = """
    aaron abdul adam adrian ahmed alan albert alexander alun andrew angus anton arthur
    ben benjamin bernard boris brian bruno callum carlos charles christopher colin conor
    craig dafydd daniel darren david declan dennis diego dmitri donald douglas duncan edward
    emeka eric ewan farid felix fergus francis frank gareth gary geoffrey george gerald
    graham gregor gwilym hamid hans harold harry hector henry hugh ian ibrahim ivan jack jacob
    james jason jeremy joe johan john jonas jonathan jose joseph juan julian karl kenneth
    kevin kwame lars leon liam lorenzo luis magnus malcolm marco mark martin matthew michael
    miguel mohammed muhammad nathan neil nicholas nigel olaf oliver omar oscar owen patrick paul
    pedro peter philip pierre rafael rajesh raymond ricardo richard robert roger ronald
    rustam ryan samuel sean sergei simon stefan stephen steven stuart thomas timothy tobias tom
    tomas trevor victor vikram vincent walter william yusuf
"""

GIVEN_NAME_PRONOUNS: dict[str, str] = {
    **dict.fromkeys(_FEMALE.split(), "she"),
    **dict.fromkeys(_MALE.split(), "he"),
}


def pronoun_of_given_name(name: str) -> str | None:
    """"she" for "Nadia Ferreira-Quinn", "he" for "Callum Reyes", None when the first name does not say."""
    words = name.split()
    if len(words) < 2:
        return None
    return GIVEN_NAME_PRONOUNS.get(words[0].lower())
