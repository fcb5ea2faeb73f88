"""Large block letters and digits that grow with the space they are given.

Each glyph is drawn on a 3×5 grid (a few letters are wider) and scaled up by a whole factor;
two pixel rows share one terminal row through half-block characters, so pixels stay square.
The widget picks the largest scale that fits, and falls back to plain bold text when even the
smallest does not.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_FONT_ROWS = {
    "A": ".#. #.# ### #.# #.#", "B": "##. #.# ##. #.# ##.", "C": ".## #.. #.. #.. .##",
    "D": "##. #.# #.# #.# ##.", "E": "### #.. ##. #.. ###", "F": "### #.. ##. #.. #..",
    "G": ".## #.. #.# #.# .##", "H": "#.# #.# ### #.# #.#", "I": "### .#. .#. .#. ###",
    "J": "..# ..# ..# #.# .#.", "K": "#.# #.# ##. #.# #.#", "L": "#.. #.. #.. #.. ###",
    "M": "#...# ##.## #.#.# #...# #...#", "N": "#..# ##.# #.## #..# #..#",
    "O": "### #.# #.# #.# ###", "P": "##. #.# ##. #.. #..", "Q": "### #.# #.# ##. .##",
    "R": "##. #.# ##. #.# #.#", "S": ".## #.. .#. ..# ##.", "T": "### .#. .#. .#. .#.",
    "U": "#.# #.# #.# #.# ###", "V": "#.# #.# #.# #.# .#.", "W": "#...# #...# #.#.# ##.## #...#",
    "X": "#.# #.# .#. #.# #.#", "Y": "#.# #.# .#. .#. .#.", "Z": "### ..# .#. #.. ###",
    "0": "### #.# #.# #.# ###", "1": ".#. ##. .#. .#. ###", "2": "### ..# ### #.. ###",
    "3": "### ..# .## ..# ###", "4": "#.# #.# ### ..# ..#", "5": "### #.. ### ..# ###",
    "6": "### #.. ### #.# ###", "7": "### ..# ..# .#. .#.", "8": "### #.# ### #.# ###",
    "9": "### #.# ### ..# ###", ":": ". # . # .", ".": ". . . . #", "-": "... ... ### ... ...",
    "!": "# # # . #", "?": "### ..# .## ... .#.", "'": "# # . . .", " ": ".. .. .. .. ..",
}  # fmt: skip
FONT: dict[str, list[str]] = {ch: rows.split() for ch, rows in _FONT_ROWS.items()}
HEIGHT = 5


def can_draw(text: str) -> bool:
    return all(ch in FONT for ch in text.upper())


def pixels(text: str, scale: int) -> list[str]:
    """The text as rows of '#' and '.', each font pixel `scale` wide and `scale` tall."""
    rows = [""] * HEIGHT
    for n, ch in enumerate(text.upper()):
        glyph = FONT[ch]
        for r in range(HEIGHT):
            rows[r] += ("." if n else "") + glyph[r]
    scaled = ["".join(c * scale for c in row) for row in rows]
    return [row for row in scaled for _ in range(scale)]


def render_block(text: str, scale: int) -> list[str]:
    """Pixel rows folded two to a line with half blocks."""
    grid = pixels(text, scale)
    if len(grid) % 2:
        grid.append("." * len(grid[0]))
    chars = {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄", (".", "."): " "}
    return [
        "".join(chars[top, bottom] for top, bottom in zip(grid[i], grid[i + 1], strict=True))
        for i in range(0, len(grid), 2)
    ]


def size_at(text: str, scale: int) -> tuple[int, int]:
    """(columns, rows) the text takes at this scale."""
    width = sum(len(FONT[ch][0]) for ch in text.upper()) + max(0, len(text) - 1)
    return width * scale, (HEIGHT * scale + 1) // 2


class BigText(Widget):
    """A word or a number in large block characters, centred, as big as fits."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        min-height: 1;
        content-align: center middle;
        text-style: bold;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, max_scale: int = 6, id: str | None = None,
                 classes: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id, classes=classes)
        self.max_scale = max_scale
        self.set_reactive(BigText.text, text)

    def scale_for(self, width: int, height: int) -> int:
        """The largest scale at which the text fits; 0 when only plain text fits."""
        if not self.text or not can_draw(self.text):
            return 0
        for scale in range(self.max_scale, 0, -1):
            cols, rows = size_at(self.text, scale)
            if cols <= width and rows <= height:
                return scale
        return 0

    def render(self) -> Text:
        width, height = self.content_size
        scale = self.scale_for(width, height)
        if scale == 0:
            return Text(self.text, justify="center", no_wrap=True, overflow="ellipsis")
        return Text("\n".join(render_block(self.text, scale)), justify="center", no_wrap=True)
