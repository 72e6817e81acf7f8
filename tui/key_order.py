"""Keys are routed one at a time, each once the one before it has been handled.

Textual routes a key as the app receives it: to the focused widget, or to a priority binding. Keys that
arrive in one burst (a paste, a laggy SSH link) are all routed before the first has run, so after a Tab
the letters still go to the field that had the focus, and a priority ctrl+s saves before the note typed
just before it is in the field. Holding each key until the one before it has gone all the way up to the
app (and a screen it opened or closed has settled) sends it where it would have gone typed slowly.

Following a key up takes a hop through the queue of every node on its way, and each hop delayed the key
itself and its frame (a node's queue is worked through before the next node runs): so a key is followed
only once another arrives while it may still be on its way. A key that finds nothing of the last one
left in any queue (the app is idle, as between keys typed by hand) is routed at once, without a hop.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.dom import DOMNode
from textual.screen import Screen

#: How often a key still being handled is checked on: a widget removed on its way up the DOM drops it.
CHECK_SECONDS = 0.25


class KeysInOrder:
    """A mixin for the App (before App in the bases)."""

    _keys_held: deque[events.Key] | None = None
    _key_in_hand: object | None = None  # a token for the key being handled, None when none is
    _in_hand_path: list[DOMNode] = []  # the nodes it goes up through, from the one it was sent to
    _in_hand_event: events.Key | None = None
    _in_hand_done = False  # whether it has been all the way up, its bindings run
    _in_hand_screen: Screen | None = None  # the screen when it was routed
    _followed = False  # whether the key in hand is being followed up its path
    _waiting_on: DOMNode | None = None  # the node whose queue the key (or the check after it) is in

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:  # back up at the app, where the bindings run
            await super().on_event(event)
            if event is self._in_hand_event:
                self._in_hand_done = True
            return
        if self._keys_held is None:
            self._keys_held = deque()
        if self._key_in_hand is not None and not self._keys_held and self._last_key_done():
            self._key_in_hand = None
        if self._key_in_hand is not None:
            self._keys_held.append(event)
            if not self._followed:
                self._follow_in_hand()
            return
        await self._route(event)

    async def _route(self, event: events.Key) -> None:
        self._key_in_hand, self._in_hand_event, self._followed = object(), event, False
        target, self._in_hand_screen = self.focused or self.screen, self.screen
        self._in_hand_done = False
        await super().on_event(event)
        # Forwarded, the key goes to the focused widget and bubbles up from it until one stops it; a
        # priority binding ran it here already.
        self._in_hand_path = target.ancestors_with_self if event.is_forwarded else []
        self._in_hand_done = self._in_hand_done or not event.is_forwarded
        if self._keys_held:
            self._follow_in_hand()

    def _last_key_done(self) -> bool:
        """Whether nothing of the key in hand can be left: it came back up to the app or a node stopped it,
        no node on its way has a message queued (one it posted), its screen is still the app's, and no
        callback (a focus change) waits in the app's queue."""
        if not (self._in_hand_done or self._in_hand_event._stop_propagation):
            return False
        if self.screen is not self._in_hand_screen or not self._message_queue.empty():
            return False
        return all(node._message_queue.empty() for node in self._in_hand_path)

    def _follow_in_hand(self) -> None:
        """Follow the key in hand up its path, queue by queue, then let the next key go."""
        self._followed = True
        self._follow(list(self._in_hand_path), self._key_in_hand, self._in_hand_event, self._in_hand_screen)
        self._check_later(self._key_in_hand)

    def _follow(self, path: list[DOMNode], token: object, event: events.Key, screen: Screen) -> None:
        """Run after the messages queued now at each node of *path* in turn, then let the next key go."""
        if token is not self._key_in_hand:
            return
        if event._stop_propagation:
            path = []  # handled where it was: the nodes above never see it
        if not path and self.screen is not screen:
            # It opened or closed a screen: wait for that one to take the focus (ScreenResume) too.
            path, screen = [self.screen, self], self.screen
        while path:
            node = path.pop(0)
            if node.call_later(self._follow, path, token, event, screen):
                self._waiting_on = node
                return
        self._waiting_on = None
        self.call_later(self._release, token)

    def _check_later(self, token: object) -> None:
        asyncio.get_running_loop().call_later(CHECK_SECONDS, self._check, token)

    def _check(self, token: object) -> None:
        """Let the next key go if the node the last one waits on has closed (its queue is dropped)."""
        if token is not self._key_in_hand:
            return
        node = self._waiting_on
        if node is not None and (node._closing or node._closed):
            self.call_later(self._release, token)
        else:
            self._check_later(token)

    async def _release(self, token: object) -> None:
        if token is not self._key_in_hand:
            return  # already let go
        self._key_in_hand = None
        if self._keys_held:
            await self._route(self._keys_held.popleft())
