"""The Kitty graphics protocol: asked for only where the terminal may have it, and what
it is sent is the protocol's own encoded payload."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from PIL import Image
from rich.console import Console

from newsreader.ui.article_pictures import choose_renderer
from newsreader.ui.graphics import fit, kitty_lines, may_have_graphics, probe_graphics

PLACEHOLDER = "\U0010eeee"
MESSAGE = re.compile(r"\x1b_G([a-zA-Z]=[\w-]+(?:,[a-zA-Z]=[\w-]+)*)(?:;([A-Za-z0-9+/=]*))?\x1b\\")


def test_only_a_terminal_named_like_kitty_is_ever_asked() -> None:
    assert may_have_graphics({"TERM": "xterm-kitty"})
    assert may_have_graphics({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"})
    assert not may_have_graphics({"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    assert not probe_graphics("auto", {"TERM": "xterm-256color"})
    assert not probe_graphics("off", {"TERM": "xterm-kitty"})
    # Not even imported: importing textual-image is what asks the terminal.
    script = (
        "import sys\n"
        "from newsreader.ui.graphics import probe_graphics\n"
        "probe_graphics('on', {'TERM': 'xterm-256color'})\n"
        "print('textual_image' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.stdout.strip() == "False"


def test_the_renderer_follows_the_setting_and_the_terminal() -> None:
    assert choose_renderer("auto", True, "256") == "graphics"
    assert choose_renderer("on", True, "truecolor") == "graphics"
    assert choose_renderer("auto", False, "truecolor") == "halfblocks"
    assert choose_renderer("auto", False, "256") == "placeholders"
    assert choose_renderer("on", False, "standard") == "halfblocks"
    assert choose_renderer("off", True, "truecolor") == "placeholders"


def test_a_picture_keeps_its_shape_inside_its_box() -> None:
    assert fit((1600, 900), 80, 20, (10, 20)) == (71, 20)
    assert fit((1600, 900), 40, 20, (10, 20)) == (40, 11)
    assert fit((100, 5000), 80, 20, (10, 20)) == (1, 20)


def test_kitty_pictures_are_sent_as_the_protocols_payload_and_freed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = io.StringIO()
    monkeypatch.setattr(sys, "__stdout__", written)
    image = Image.new("RGB", (64, 32), "#3080c0")
    console = Console(width=100, color_system="truecolor", force_terminal=True)
    lines, release = kitty_lines(image, 20, 10, console)
    assert len(lines) == 5  # 64×32 pixels in cells of 10×20: 20 columns, 5 lines
    assert all(PLACEHOLDER in "".join(segment.text for segment in line) for line in lines)
    sent = written.getvalue()
    assert sent.startswith("\x1b_G")
    # Nothing but whole protocol messages, each a list of keys and a base64 payload.
    assert MESSAGE.sub("", sent) == ""
    release()
    assert "a=d" in written.getvalue()[len(sent) :]
