"""Framework attribute resource ids, checked against framework-res (aapt dump resources).

Android resolves manifest attributes by these ids, not by their name strings; a name
that lies about its id is a known obfuscation, so the id wins.
"""

LABEL = 0x01010001
ICON = 0x01010002
NAME = 0x01010003
PERMISSION = 0x01010006
PROTECTION_LEVEL = 0x01010009
ENABLED = 0x0101000E
DEBUGGABLE = 0x0101000F
EXPORTED = 0x01010010
AUTHORITIES = 0x01010018
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

NAMES: dict[int, str] = {
    LABEL: "label", ICON: "icon", NAME: "name", PERMISSION: "permission",
    PROTECTION_LEVEL: "protectionLevel", ENABLED: "enabled", DEBUGGABLE: "debuggable",
    EXPORTED: "exported", AUTHORITIES: "authorities", VALUE: "value", RESOURCE: "resource",
    MIME_TYPE: "mimeType", SCHEME: "scheme", HOST: "host", PORT: "port", PATH: "path",
    PATH_PREFIX: "pathPrefix", PATH_PATTERN: "pathPattern", DRAWABLE: "drawable",
    TARGET_ACTIVITY: "targetActivity", MIN_SDK: "minSdkVersion", VERSION_CODE: "versionCode",
    VERSION_NAME: "versionName", TARGET_SDK: "targetSdkVersion", MAX_SDK: "maxSdkVersion",
    ALLOW_BACKUP: "allowBackup", USES_CLEARTEXT: "usesCleartextTraffic",
    AUTO_VERIFY: "autoVerify", NETWORK_SECURITY_CONFIG: "networkSecurityConfig",
    ROUND_ICON: "roundIcon", TARGET_SANDBOX: "targetSandboxVersion",
    COMPILE_SDK: "compileSdkVersion",
}  # fmt: skip
