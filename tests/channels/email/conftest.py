"""Real servers for the mail tests: a throw-away Dovecot (IMAP) and an aiosmtpd (SMTP).

Dovecot listens on a free loopback port with plain login (loopback only), one passwd-file
user and a mail directory under the test's temporary directory; it is stopped afterwards.
Without Dovecot the IMAP tests skip, and with EENLOKET_REQUIRE_SERVICES=1 that fails the run.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from imapclient import IMAPClient

from eenloket.channels.email import services
from eenloket.channels.email.models import Mailbox
from tests import factories as f

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
IMAP_USER = "desk"
IMAP_PASSWORD = "desk-secret"
CORPUS = Path(__file__).parent / "corpus"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("Dovecot did not start listening within 15 s")


@dataclass
class Dovecot:
    port: int
    root: Path
    process: subprocess.Popen = field(repr=False)

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(IMAP_USER, IMAP_PASSWORD)
        return client

    def deliver(self, *raws: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for raw in raws:
                client.append(folder, raw)
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return 0
            client.select_folder(folder, readonly=True)
            return len(client.search(["NOT", "DELETED"]))
        finally:
            client.logout()

    def flagged(self, folder: str = "INBOX") -> int:
        client = self.client()
        try:
            client.select_folder(folder, readonly=True)
            return len(client.search(["FLAGGED"]))
        finally:
            client.logout()

    def empty(self) -> None:
        client = self.client()
        try:
            for folder in ("INBOX", "Processed"):
                if client.folder_exists(folder):
                    client.select_folder(folder)
                    uids = client.search()
                    if uids:
                        client.delete_messages(uids)
                        client.expunge()
        finally:
            client.logout()


def _dovecot_config(root: Path, port: int) -> Path:
    mail = root / "mail"
    mail.mkdir()
    uid, gid = os.getuid(), os.getgid()
    extra = ""
    if uid == 0:
        # Dovecot never delivers mail as root: the user's mail belongs to nobody.
        uid = gid = 65534
        shutil.chown(mail, uid, gid)
    else:
        user = getpass.getuser()
        extra = f"default_internal_user = {user}\ndefault_login_user = {user}\n"
    (root / "passwd").write_text(
        f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}:{uid}:{gid}::{mail}::\n", encoding="utf-8"
    )
    config = root / "dovecot.conf"
    config.write_text(
        f"""protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{extra}ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
""",
        encoding="utf-8",
    )
    return config


@contextlib.contextmanager
def run_dovecot():
    """A Dovecot on a free loopback port with one user and an empty mail directory."""
    # Its own directory: pytest prunes old basetemps, which parallel runs share.
    root = Path(tempfile.mkdtemp(prefix="eenloket-dovecot-"))
    os.chmod(root, 0o711)  # noqa: S103 - Dovecot's auth process reads the passwd file
    port = free_port()
    config = _dovecot_config(root, port)
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for_port(port, process, root / "dovecot.log")
        yield Dovecot(port=port, root=root, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server():
    if not Path(DOVECOT).exists():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    with run_dovecot() as server:
        yield server


@pytest.fixture
def dovecot(dovecot_server):
    """The Dovecot server with an empty inbox and processed folder."""
    dovecot_server.empty()
    yield dovecot_server
    dovecot_server.empty()


@pytest.fixture(autouse=True)
def _fresh_own_addresses():
    services.own_addresses_forget()
    yield
    services.own_addresses_forget()


@pytest.fixture
def mail_desk(desk):
    """The desk with a customer whose address the corpus uses, and an allowed mail domain."""
    desk.organization.email_domain = "dordrecht.example"
    desk.organization.save()
    desk.jan = f.PersonFactory(
        organization=desk.organization,
        first_name="Jan",
        last_name="Jansen",
        email="jan@dordrecht.example",
    )
    return desk


@pytest.fixture
def mailbox(mail_desk, settings) -> Mailbox:
    settings.DEFAULT_FROM_EMAIL = "servicedesk@eenloket.example"
    box = Mailbox.objects.create(
        name="Centraal",
        address="servicedesk@eenloket.example",
        host="127.0.0.1",
        port=1,
        security=Mailbox.Security.NONE,
        username=IMAP_USER,
        service=mail_desk.laptop,
    )
    return services.mailbox_set_secret(mailbox=box, secret=IMAP_PASSWORD)


@pytest.fixture
def imap_mailbox(mailbox, dovecot) -> Mailbox:
    mailbox.port = dovecot.port
    mailbox.save()
    return mailbox


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list = field(default_factory=list)
    fail_next: int = 0


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.fail_next:
            self.sink.fail_next -= 1
            return "451 4.3.0 Try again later"
        self.sink.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free port; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    port = free_port()
    sink = SmtpSink(host="127.0.0.1", port=port)
    controller = Controller(_Handler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        controller.stop()


def corpus_mail(name: str) -> bytes:
    return (CORPUS / f"{name}.eml").read_bytes()
