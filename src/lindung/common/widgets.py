"""Form widgets shared by the pages."""

from __future__ import annotations

from django import forms


class BrowserDateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (yyyy-mm-dd), whatever the page's
    date format (pages write 17-09-1977): a dd-mm-yyyy value would show an empty picker and
    lose the date on the next save. The browser shows it in the reader's own format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
