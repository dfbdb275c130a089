"""Creating and editing a person: names as written and in Latin, position, where they work
(for a new person), language, gender, owner, e-mails, phones, tags and notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget

from smartconf.core.enums import Gender, Language
from smartconf.core.errors import ValidationError
from smartconf.services.overview import Choice
from smartconf.services.persons import PersonInput
from smartconf.ui.crm.form import FormDialog, split_list
from smartconf.ui.crm.labels import crm_label
from smartconf.ui.crm.undo import NewPerson
from smartconf.ui.formatting import fill

Submit = Callable[[NewPerson], None]


def choice_combo(choices: Sequence[Choice], *, none_text: str | None = None,
                 searchable: bool = False) -> QComboBox:
    """A combo of ``choices`` (value as item data), optionally led by a "none" item and
    searchable by typing any part of an entry."""
    combo = QComboBox()
    if none_text is not None:
        combo.addItem(none_text, None)
    for choice in choices:
        combo.addItem(choice.text, choice.value)
    if searchable:
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return combo


def select_value(combo: QComboBox, value: object) -> None:
    """Show the item whose data is ``value`` (the first item if there is none)."""
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


def combo_value(combo: QComboBox) -> object:
    """The data of the chosen item; for a searchable combo, of the item the typed text names:
    its whole text, or the name or the acronym of a "Name (ACRONYM)" item."""
    if not combo.isEditable():
        return combo.currentData()
    typed = " ".join(combo.currentText().split()).casefold()
    if not typed:
        return None
    texts = [combo.itemText(i).casefold() for i in range(combo.count())]
    for matches in (lambda t: t == typed, lambda t: t.startswith(f"{typed} ("),
                    lambda t: t.endswith(f"({typed})")):
        found = [i for i, text in enumerate(texts) if matches(text)]
        if len(found) == 1:
            return combo.itemData(found[0])
    return None


def organisation_value(combo: QComboBox, *, field: str = "organisation") -> int | None:
    """The organisation chosen in a searchable combo led by a "none" item."""
    value = combo_value(combo)
    typed = combo.currentText().strip()
    if value is None and typed and typed != combo.itemText(0):
        raise ValidationError(fill(QCoreApplication.translate(
            "PersonDialog", "no organisation is called “%1”: pick one from the list"), typed),
            field=field)
    return value


class PersonDialog(FormDialog):
    """New person (``details`` None) or edit; ``submit`` writes and may refuse."""

    def __init__(self, submit: Submit, *, owners: Sequence[Choice],
                 organisations: Sequence[Choice] = (), details: PersonInput | None = None,
                 parent: QWidget | None = None) -> None:
        title = self.tr("New person") if details is None else self.tr("Edit person")
        super().__init__(title, parent)
        self._submit = submit
        self.is_new = details is None
        self.honorific = self.add_field(self.tr("&Honorific:"), QLineEdit(), "honorific")
        self.given_name = self.add_field(self.tr("&Given name:"), QLineEdit(), "given_name")
        self.family_name = self.add_field(self.tr("&Family name:"), QLineEdit(), "family_name")
        self.given_name_latin = self.add_field(self.tr("Given name (&Latin):"), QLineEdit(),
                                               "given_name_latin")
        self.family_name_latin = self.add_field(self.tr("Family name (La&tin):"), QLineEdit(),
                                                "family_name_latin")
        for field in (self.given_name_latin, self.family_name_latin):
            field.setPlaceholderText(self.tr("Filled in from Cyrillic when left empty"))
        self.position = self.add_field(self.tr("&Position:"), QLineEdit(), "position")
        if self.is_new:
            self.organisation = self.add_field(
                self.tr("&Organisation:"),
                choice_combo(organisations, none_text=self.tr("(none)"), searchable=True),
                "organisation")
            self.role = self.add_field(self.tr("&Role there:"), QLineEdit(), "role")
        self.language = self.add_field(self.tr("L&anguage:"), choice_combo(
            [Choice(lang, crm_label(lang)) for lang in Language]), "preferred_language")
        self.gender = self.add_field(self.tr("G&ender:"), choice_combo(
            [Choice(g, crm_label(g)) for g in Gender]), "gender")
        self.owner = self.add_field(self.tr("O&wner:"), choice_combo(
            owners, none_text=self.tr("(nobody)")), "owner")
        self.emails = self.add_field(self.tr("&E-mails:"), QLineEdit(), "email")
        self.phones = self.add_field(self.tr("P&hones:"), QLineEdit(), "phone")
        self.tags = self.add_field(self.tr("T&ags:"), QLineEdit(), "tags")
        for field in (self.emails, self.phones, self.tags):
            field.setPlaceholderText(self.tr("Separated by commas; the first is the main one"))
        self.notes = self.add_field(self.tr("&Notes:"), QPlainTextEdit(), "notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.resize(520, self.sizeHint().height())
        self.set_details(details or PersonInput("", "", preferred_language=Language.ALBANIAN))

    def set_details(self, data: PersonInput) -> None:
        """Fill the form with ``data``."""
        for name in ("honorific", "given_name", "family_name", "given_name_latin",
                     "family_name_latin", "position"):
            getattr(self, name).setText(getattr(data, name) or "")
        select_value(self.language, Language(data.preferred_language))
        select_value(self.gender, Gender(data.gender))
        if data.owner and self.owner.findData(data.owner) < 0:  # no longer active
            self.owner.addItem(data.owner, data.owner)
        select_value(self.owner, data.owner)
        self.emails.setText(", ".join(data.emails))
        self.phones.setText(", ".join(data.phones))
        self.tags.setText(", ".join(data.tags))
        self.notes.setPlainText(data.notes or "")

    def details(self) -> PersonInput:
        """The person as the form says (unvalidated: the service validates)."""
        return PersonInput(
            given_name=self.given_name.text(), family_name=self.family_name.text(),
            given_name_latin=self.given_name_latin.text() or None,
            family_name_latin=self.family_name_latin.text() or None,
            honorific=self.honorific.text() or None, position=self.position.text() or None,
            preferred_language=self.language.currentData(), gender=self.gender.currentData(),
            owner=self.owner.currentData(), notes=self.notes.toPlainText() or None,
            emails=split_list(self.emails.text()), phones=split_list(self.phones.text()),
            tags=split_list(self.tags.text()))

    def new_person(self) -> NewPerson:
        """The details, and for a new person the organisation chosen (ValidationError when
        the text typed names none)."""
        if not self.is_new:
            return NewPerson(self.details())
        return NewPerson(self.details(), organisation_value(self.organisation),
                         self.role.text() or None)

    def submit(self) -> None:
        self._submit(self.new_person())
