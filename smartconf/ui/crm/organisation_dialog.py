"""Creating and editing an organisation: name (and Latin form), acronym, kind, country, the
organisation it is a division of, website, sectors and notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from smartconf.core.enums import OrganisationKind
from smartconf.services.organisations import OrganisationInput
from smartconf.services.overview import Choice
from smartconf.ui.crm.form import FormDialog, split_list
from smartconf.ui.crm.person_dialog import choice_combo, organisation_value, select_value
from smartconf.ui.labels import label

Submit = Callable[[OrganisationInput], None]


class OrganisationDialog(FormDialog):
    """New organisation (``details`` None) or edit; ``submit`` writes and may refuse.

    ``parents`` are the organisations it may sit inside (not itself).
    """

    def __init__(self, submit: Submit, *, parents: Sequence[Choice],
                 details: OrganisationInput | None = None,
                 parent: QWidget | None = None) -> None:
        title = self.tr("New organisation") if details is None else self.tr("Edit organisation")
        super().__init__(title, parent)
        self._submit = submit
        self.name = self.add_field(self.tr("&Name:"), QLineEdit(), "name")
        self.name_latin = self.add_field(self.tr("Name (&Latin):"), QLineEdit(), "name_latin")
        self.name_latin.setPlaceholderText(self.tr("Filled in from Cyrillic when left empty"))
        self.acronym = self.add_field(self.tr("&Acronym:"), QLineEdit(), "acronym")
        self.kind = self.add_field(self.tr("&Kind:"), choice_combo(
            [Choice(kind, label(kind)) for kind in OrganisationKind]), "kind")
        self.country = self.add_field(self.tr("&Country:"), QLineEdit(), "country")
        self.country.setPlaceholderText(self.tr("Two-letter code: XK for Kosovo, RS, AL…"))
        self.country.setMaxLength(2)
        self.parent_organisation = self.add_field(
            self.tr("&Division of:"),
            choice_combo(parents, none_text=self.tr("(none: top level)"), searchable=True),
            "parent")
        self.website = self.add_field(self.tr("&Website:"), QLineEdit(), "website")
        self.sectors = self.add_field(self.tr("&Sectors:"), QLineEdit(), "sectors")
        self.sectors.setPlaceholderText(self.tr("Separated by commas"))
        self.notes = self.add_field(self.tr("N&otes:"), QPlainTextEdit(), "notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.resize(520, self.sizeHint().height())
        self.set_details(details or OrganisationInput("", OrganisationKind.MINISTRY))

    def set_details(self, data: OrganisationInput) -> None:
        for name in ("name", "name_latin", "acronym", "country", "website"):
            getattr(self, name).setText(getattr(data, name) or "")
        select_value(self.kind, OrganisationKind(data.kind))
        select_value(self.parent_organisation, data.parent_id)
        self.sectors.setText(", ".join(data.sectors))
        self.notes.setPlainText(data.notes or "")

    def details(self) -> OrganisationInput:
        """The organisation as the form says (the service validates)."""
        return OrganisationInput(
            name=self.name.text(), kind=self.kind.currentData(),
            acronym=self.acronym.text() or None, name_latin=self.name_latin.text() or None,
            country=self.country.text(),
            parent_id=organisation_value(self.parent_organisation, field="parent"),
            website=self.website.text() or None, notes=self.notes.toPlainText() or None,
            sectors=split_list(self.sectors.text()))

    def submit(self) -> None:
        self._submit(self.details())
