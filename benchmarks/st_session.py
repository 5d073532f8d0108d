"""A Streamlit browser session without the browser: the websocket protocol, driven by asyncio.

What the frontend does, reduced to what costs the server: load `/` (which gives nginx's sticky
cookie), open `/_stcore/stream` with that cookie, send a BackMsg `rerun_script` (the page's
URL path and query string), then read ForwardMsgs until `script_finished`. A page switch sends
`rerun_script` with what Chromium sends for a click on a sidebar link (read off its websocket
frames): the page's script hash from the `navigation` message, the current values of the
sidebar's widgets (language, kommune picker), and the hashes of the messages it has cached, so
the server sends a short reference instead of a large message it sent before.

Not done: drawing (no Vega, deck.gl or Arrow decoding), the page's own widgets (a switch resets
them, as in the browser) and the frontend's cache eviction (hashes are kept for the whole
session). Used by benchmarks/replicas.py, where 40 real Chromium tabs would take the two cores
from the servers.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
# A run may end early because the script asked for another (st.rerun, a URL write): wait on.
EARLY = {FINISHED.FINISHED_EARLY_FOR_RERUN}
SIDEBAR = 1  # delta_path[0]: 0 is the main area, 1 the sidebar
DONE_OK = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class SessionError(RuntimeError):
    """The server showed an error, closed the connection or did not finish in time."""


@dataclass
class RunResult:
    seconds: float
    messages: int
    bytes: int
    problems: list[str] = field(default_factory=list)


def _get_cookie(url: str, timeout: float) -> str:
    """GET `url` as a browser's first request does; return the Cookie header to send back."""
    req = urllib.request.Request(url, headers={"User-Agent": "skolemiljo-benchmark"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
        jar = SimpleCookie()
        for header in r.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{k}={m.value}" for k, m in jar.items())


class Session:
    """One browser tab's conversation with the server (use `async with`)."""

    def __init__(self, base_url: str, query_string: str = "", timeout: float = 180):
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.timeout = timeout
        self.cookie = ""
        self.pages: dict[str, str] = {}  # url path ("" for the default page) → script hash
        self.sidebar: dict[str, WidgetState] = {}  # widget id → its current value
        self.cached: set[str] = set()  # hashes of cacheable messages received
        self._ws = None

    async def __aenter__(self) -> Session:
        from websockets.asyncio.client import connect

        self.cookie = await asyncio.to_thread(_get_cookie, self.base_url + "/", self.timeout)
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self._ws = await connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
            compression=None,  # the server does not compress (server.enableWebsocketCompression)
            proxy=None,
            ping_interval=None,  # browsers do not ping; a busy server must not drop us for it
            max_size=None,  # map pages send several MB
            open_timeout=self.timeout,
            close_timeout=5,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def open(self, url_path: str = "") -> RunResult:
        """The first run, as a tab opening <base>/<url_path>?<query_string>."""
        return await self._run(page_name=url_path, page_hash="")

    async def switch(self, url_path: str) -> RunResult:
        """A click on the sidebar link of `url_path`; returns when the script has finished."""
        if url_path not in self.pages:
            raise SessionError(f"no page {url_path!r} in the navigation ({sorted(self.pages)})")
        return await self._run(page_name="", page_hash=self.pages[url_path])

    async def _run(self, page_name: str, page_hash: str) -> RunResult:
        msg = BackMsg()
        state = msg.rerun_script
        if not page_hash:  # a tab opening a URL; a click sends no query string
            state.query_string = self.query_string
        state.page_name = page_name
        state.page_script_hash = page_hash
        state.widget_states.SetInParent()
        if page_hash:
            state.widget_states.widgets.extend(self.sidebar.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(0.0, 0, 0)
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    data = await self._ws.recv()
                    result.messages += 1
                    result.bytes += len(data)
                    fwd = ForwardMsg()
                    fwd.ParseFromString(data)
                    kind = fwd.WhichOneof("type")
                    if fwd.metadata.cacheable and fwd.hash:
                        self.cached.add(fwd.hash)
                    if kind == "delta":
                        self._check_delta(fwd, result.problems)
                        if fwd.metadata.delta_path[:1] == [SIDEBAR]:
                            self._note_sidebar_widget(fwd)
                    elif kind == "navigation":
                        self.pages = {
                            p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages
                        }
                    elif kind == "page_info_changed":
                        self.query_string = fwd.page_info_changed.query_string
                    elif kind == "page_not_found":
                        result.problems.append(f"page not found: {fwd.page_not_found.page_name}")
                    elif kind == "script_finished":
                        if fwd.script_finished in EARLY:
                            continue
                        if fwd.script_finished not in DONE_OK:
                            result.problems.append(
                                f"script finished with {FINISHED.Name(fwd.script_finished)}"
                            )
                        break
        except TimeoutError as err:
            raise SessionError(f"no script_finished within {self.timeout:.0f} s") from err
        except Exception as err:  # the connection closed or broke
            raise SessionError(f"{type(err).__name__}: {err}") from err
        result.seconds = time.perf_counter() - t0
        return result

    def _note_sidebar_widget(self, fwd: ForwardMsg) -> None:
        """Keep what the browser would send back for a sidebar selectbox or segmented control."""
        if fwd.delta.WhichOneof("type") != "new_element":
            return
        element = fwd.delta.new_element
        which = element.WhichOneof("type")
        if which == "selectbox":
            box = element.selectbox
            state = WidgetState(id=box.id)
            if box.set_value:
                state.string_value = box.raw_value
            elif box.id in self.sidebar:
                return
            elif 0 <= box.default < len(box.options):
                state.string_value = box.options[box.default]
            else:
                return
        elif which == "button_group":
            group = element.button_group
            state = WidgetState(id=group.id)
            if group.set_value:
                values = list(group.raw_values)
            elif group.id in self.sidebar:
                return
            else:
                values = [group.options[i].content for i in group.default]
            state.string_array_value.data[:] = values
        else:
            return
        self.sidebar[state.id] = state

    @staticmethod
    def _check_delta(fwd: ForwardMsg, problems: list[str]) -> None:
        if fwd.delta.WhichOneof("type") != "new_element":
            return
        element = fwd.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            problems.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif which == "alert" and element.alert.format == Alert.ERROR:
            problems.append(f"error box: {element.alert.body[:200]}")
