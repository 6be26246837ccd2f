"""The demo's second factor: one published TOTP key for every demo staff login.

Pure Python (no Django set-up needed), so that docs/screenshots/take.py can compute the code.
"""

import base64
import time

from django_otp.oath import TOTP

# Published in the demo output and in the docs; never use it for a real account.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # "12345678901234567890"
DEMO_DEVICE_NAME = "demo"


def demo_key_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def demo_code(at: float | None = None) -> str:
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"
