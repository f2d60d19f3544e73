"""Framework attribute resource ids, checked against framework-res (aapt dump resources).

Android resolves manifest attributes by these ids, not by their name strings; a name
that lies about its id is a known obfuscation, so the id wins. ``NAMES`` holds every
public ``android:attr`` (framework-res.apk of API 29, plus R..U ids from AOSP's
public-final.xml) so any lying name can be reported, not only the manifest's.
"""

from __future__ import annotations

import json
from importlib import resources

LABEL = 0x01010001
ICON = 0x01010002
NAME = 0x01010003
PERMISSION = 0x01010006
READ_PERMISSION = 0x01010007
WRITE_PERMISSION = 0x01010008
PROTECTION_LEVEL = 0x01010009
ENABLED = 0x0101000E
DEBUGGABLE = 0x0101000F
EXPORTED = 0x01010010
PROCESS = 0x01010011
AUTHORITIES = 0x01010018
PRIORITY = 0x0101001C
VALUE = 0x01010024
RESOURCE = 0x01010025
MIME_TYPE = 0x01010026
SCHEME = 0x01010027
HOST = 0x01010028
PORT = 0x01010029
PATH = 0x0101002A
PATH_PREFIX = 0x0101002B
PATH_PATTERN = 0x0101002C
DRAWABLE = 0x01010199
TARGET_ACTIVITY = 0x01010202
MIN_SDK = 0x0101020C
VERSION_CODE = 0x0101021B
VERSION_NAME = 0x0101021C
TARGET_SDK = 0x01010270
MAX_SDK = 0x01010271
ALLOW_BACKUP = 0x01010280
USES_CLEARTEXT = 0x010104EC
AUTO_VERIFY = 0x010104EE
NETWORK_SECURITY_CONFIG = 0x01010527
ROUND_ICON = 0x0101052C
TARGET_SANDBOX = 0x0101054C
COMPILE_SDK = 0x01010572
COMPILE_SDK_CODENAME = 0x01010573
VERSION_CODE_MAJOR = 0x01010576
PATH_SUFFIX = 0x0101061E
PATH_ADVANCED_PATTERN = 0x01010620


def _load() -> dict[int, str]:
    text = resources.files(__package__).joinpath("framework_attrs.json").read_text("utf-8")
    table: dict[str, str] = json.loads(text)["attrs"]
    return {int(key, 16): name for key, name in table.items()}


NAMES: dict[int, str] = _load()
