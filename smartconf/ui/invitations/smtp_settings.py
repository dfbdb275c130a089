"""The SMTP settings form (Settings page, and a dialog from the outbox when sending fails).

Values go to the settings table (``services.settings``), each checked by the service's own
rule with the error under its field; the password goes to the OS keyring only, is never read
back into the form and never reaches the database. "Test connection" connects, secures and
logs in with what the form holds (saved or not), sends nothing, and says how it went.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.services.settings import (
    DEFAULT_PORTS,
    SmtpConfig,
    check_setting,
    list_settings,
    set_setting,
    set_smtp_password,
    unset_setting,
)
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import ERROR_COLOUR, error_label
from smartconf.ui.formatting import fill
from smartconf.ui.invitations.notices import problem_text
from smartconf.ui.workers import Worker

PASSWORD = "password"
OPTIONAL = ("smtp.port", "smtp.user", "smtp.sender_name")  # empty: unset
REQUIRED = ("smtp.host", "smtp.sender")
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpForm:
    """What the form holds: canonical setting values (None: unset) and a typed password."""

    values: dict[str, str | None]
    password: str
    timeout: float

    def config(self) -> SmtpConfig:
        """The form as a connection to test (the keyring supplies a password not typed)."""
        v = self.values
        return SmtpConfig(host=v["smtp.host"], sender=v["smtp.sender"],
                          port=int(v["smtp.port"]) if v["smtp.port"] else None,
                          security=v["smtp.security"], user=v["smtp.user"],
                          password=self.password or None, sender_name=v["smtp.sender_name"],
                          rate_per_minute=int(v["smtp.rate_per_minute"]),
                          timeout=self.timeout)


def save_smtp(context: CrmContext, form: SmtpForm) -> bool:
    """Store the password in the keyring if one was typed, then the settings (one
    transaction): a keyring that refuses leaves everything as it was (the values were checked
    before). Returns whether a password was stored. Runs on a worker thread."""
    def write(session, *, actor: str) -> None:
        for key, value in form.values.items():
            if value is None:
                unset_setting(session, key, actor=actor)
            else:
                set_setting(session, key, value, actor=actor)

    if form.password:
        set_smtp_password(form.values["smtp.user"], form.password)
    context.write(write)
    return bool(form.password)


def try_smtp(form: SmtpForm) -> str:
    """Connect, secure, log in and quit (SmtpUnavailable says what failed); the server's
    description. Runs on a worker thread."""
    from smartconf.services.outbox import check_smtp  # smtplib and ssl: load when used

    config = form.config()
    check_smtp(config)
    return config.description


class SmtpSettingsWidget(QWidget):
    """Host, port, security, user, password, sender, rate; Save and Test connection."""

    saved = Signal()

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self._timeout = DEFAULT_TIMEOUT
        self._errors: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._build_fields()
        self._build_buttons()
        self.worker = Worker(self)
        self.worker.finished.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._after: str = ""

    # --- building --------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.host = self._add(self.tr("&Server:"), QLineEdit(), "smtp.host")
        self.host.setPlaceholderText(self.tr("e.g. smtp.office365.com"))
        self.security = self._add(self.tr("S&ecurity:"), QComboBox(), "smtp.security")
        for text, value in ((self.tr("STARTTLS (usually port 587)"), "starttls"),
                            (self.tr("SSL/TLS (usually port 465)"), "ssl"),
                            (self.tr("None: unencrypted (port 25, local relays only)"),
                             "none")):
            self.security.addItem(text, value)
        self.port = self._add(self.tr("&Port:"), QSpinBox(), "smtp.port")
        self.port.setRange(0, 65535)
        self.security.currentIndexChanged.connect(self._show_default_port)
        self.user = self._add(self.tr("&User:"), QLineEdit(), "smtp.user")
        self.user.setPlaceholderText(self.tr("Leave empty if the server needs no login"))
        self.password = self._add(self.tr("Pass&word:"), QLineEdit(), PASSWORD)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Kept in the OS keyring; leave empty to keep "
                                                 "the stored one"))
        self.sender = self._add(self.tr("Sender &address:"), QLineEdit(), "smtp.sender")
        self.sender.setPlaceholderText(self.tr("e.g. smartbalkans@qkss.org"))
        self.sender_name = self._add(self.tr("Sender &name:"), QLineEdit(), "smtp.sender_name")
        self.sender_name.setPlaceholderText(self.tr("Used when a conference names no "
                                                    "organiser"))
        self.rate = self._add(self.tr("&Rate:"), QSpinBox(), "smtp.rate_per_minute")
        self.rate.setRange(1, 10_000)
        self.rate.setSuffix(self.tr(" messages a minute"))
        self._show_default_port()

    def _add(self, text: str, widget: QWidget, key: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = error_label()
        error.setObjectName(f"error_{key}")
        column.addWidget(error)
        caption = QLabel(text)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        self._errors[key], self._fields[key] = error, widget
        return widget

    def _build_buttons(self) -> None:
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save SMTP settings"))
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.setToolTip(self.tr("Connect and log in with the values above; "
                                            "nothing is sent."))
        self.test_button.clicked.connect(self.test_connection)
        row.addWidget(self.save_button)
        row.addWidget(self.test_button)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("smtp_status")
        self.status.setWordWrap(True)
        self.form.addRow(row)
        self.form.addRow(self.status)

    def _show_default_port(self) -> None:
        default = DEFAULT_PORTS[self.security.currentData()]
        self.port.setSpecialValueText(fill(self.tr("Usual port (%1)"), default))

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the stored settings (the password stays in the keyring)."""
        values = {item.key: item.effective for item in self.context.read(list_settings)}
        self.host.setText(values["smtp.host"] or "")
        self.security.setCurrentIndex(max(self.security.findData(values["smtp.security"]), 0))
        self.port.setValue(int(values["smtp.port"] or 0))
        self.user.setText(values["smtp.user"] or "")
        self.password.clear()
        self.sender.setText(values["smtp.sender"] or "")
        self.sender_name.setText(values["smtp.sender_name"] or "")
        self.rate.setValue(int(values["smtp.rate_per_minute"] or 30))
        self._timeout = float(values["smtp.timeout"] or DEFAULT_TIMEOUT)
        self.clear_errors()

    def read_form(self) -> SmtpForm:
        """The form's values, each checked as the settings service checks it; the first
        error found is raised, and every error is shown under its field."""
        typed = {"smtp.host": self.host.text(), "smtp.port": str(self.port.value() or ""),
                 "smtp.security": self.security.currentData(), "smtp.user": self.user.text(),
                 "smtp.sender": self.sender.text(), "smtp.sender_name": self.sender_name.text(),
                 "smtp.rate_per_minute": str(self.rate.value())}
        self.clear_errors()
        values: dict[str, str | None] = {}
        problems: list[ValidationError] = []
        for key, text in typed.items():
            try:
                values[key] = self._checked(key, text)
            except ValidationError as exc:
                problems.append(exc)
        if self.password.text() and not values.get("smtp.user"):
            problems.append(ValidationError(self.tr(
                "enter the user first: the password belongs to that account"), field=PASSWORD))
        for exc in problems:
            self.show_error(exc)
        if problems:
            raise problems[0]
        return SmtpForm(values, self.password.text(), self._timeout)

    def _checked(self, key: str, text: str) -> str | None:
        if not text.strip():
            if key in REQUIRED:
                raise ValidationError(self.tr("is needed to send invitations"), field=key)
            return None
        return check_setting(key, text)

    # --- acting ----------------------------------------------------------------------------

    def save(self) -> None:
        """Check the form and store it (off the GUI thread)."""
        self._start("save")

    def test_connection(self) -> None:
        """Check the form and try it on the server (off the GUI thread)."""
        self._start("test")

    def _start(self, what: str) -> None:
        if self.worker.is_running():
            return
        try:
            form = self.read_form()
        except ValidationError:
            self._say(self.tr("Please correct the fields marked in red."), error=True)
            return
        self._after = what
        self.save_button.setEnabled(False)
        self.test_button.setEnabled(False)
        if what == "save":
            self._say(self.tr("Saving…"))
            self.worker.start(lambda: save_smtp(self.context, form))
        else:
            self._say(fill(self.tr("Connecting to %1…"), form.config().description))
            self.worker.start(lambda: try_smtp(form))

    def _on_done(self, result: object) -> None:
        self._enable()
        if self._after == "save":
            self.password.clear()
            self._say(self.tr("Saved. The password is in the OS keyring, not in the database.")
                      if result else self.tr("Saved."))
            self.saved.emit()
        else:
            self._say(fill(self.tr("Connected to %1 and logged in. Nothing was sent."), result))

    def _on_failed(self, exc: object) -> None:
        self._enable()
        if isinstance(exc, ValidationError) and exc.field in self._errors:
            self.show_error(exc)
        what = self.tr("Not saved:") if self._after == "save" else self.tr("Connection failed:")
        hint = exc.hint if isinstance(exc, SmartconfError) else ""
        self._say(" ".join(p for p in (what, problem_text(exc), hint) if p), error=True)

    def _enable(self) -> None:
        self.save_button.setEnabled(True)
        self.test_button.setEnabled(True)

    def _say(self, text: str, *, error: bool = False) -> None:
        palette = self.status.palette()
        colour = ERROR_COLOUR if error else self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.status.setPalette(palette)
        self.status.setText(text)

    # --- errors ----------------------------------------------------------------------------

    def show_error(self, exc: ValidationError) -> None:
        label = self._errors.get(exc.field)
        if label is None:
            return
        label.setText(problem_text(exc))
        label.show()

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()

    def error_text(self, key: str) -> str:
        """The error under the field of ``key`` ("password" for the password), if shown."""
        label = self._errors[key]
        return label.text() if label.isVisibleTo(self) else ""


class SmtpSettingsDialog(QDialog):
    """The SMTP settings on their own, for when sending fails."""

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("SMTP settings"))
        layout = QVBoxLayout(self)
        self.settings = SmtpSettingsWidget(context)
        layout.addWidget(self.settings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.settings.reload()
        self.resize(560, self.sizeHint().height())
