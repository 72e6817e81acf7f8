"""Keys are routed one at a time, each once the one before it has been handled.

Textual routes a key as the app receives it: to the focused widget, or to a priority binding. Keys that
arrive in one burst (a paste, a laggy SSH link) are all routed before the first has run, so after a Tab
the letters still go to the field that had the focus, and a priority ctrl+s saves before the note typed
just before it is in the field. Holding each key until the one before it has gone all the way up to the
app (and a screen it opened or closed has settled) sends it where it would have gone typed slowly.
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
    _waiting_on: DOMNode | None = None  # the node whose queue the key (or the check after it) is in

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._keys_held is None:
            self._keys_held = deque()
        if self._key_in_hand is not None:
            self._keys_held.append(event)
            return
        await self._route(event)

    async def _route(self, event: events.Key) -> None:
        token = self._key_in_hand = object()
        target, screen = self.focused or self.screen, self.screen
        await super().on_event(event)
        # Forwarded, the key goes to the focused widget and bubbles up from it until one stops it:
        # follow it up, queue by queue. A priority binding ran it here already.
        self._follow(target.ancestors_with_self if event.is_forwarded else [], token, event, screen)
        self._check_later(token)

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
