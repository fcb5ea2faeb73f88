"""The reference: a bare Textual app (Header, Static, Footer), started like coach is."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "A bare Textual app for reference"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TEXT)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
