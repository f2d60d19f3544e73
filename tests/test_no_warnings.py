"""No chaincut command writes a warning the user did not ask for.

A fresh virtual environment gets the newest dependencies; cryptography 51 deprecated DSA and
every command printed a ``CryptographyDeprecationWarning`` because a signing module touched the
deprecated class at import. These run the real commands with every warning made visible
(``-W default``) or fatal (``-W error``) and read stderr.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization

from tests.cli_helpers import FIXTURES
from tests.corpus import corpus_dir

APK = FIXTURES / "apk" / "labels_locales.apk"
PAGE = FIXTURES / "web" / "pages" / "loan_landing.html"


def _run(*args: str, flag: str = "default") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", flag, "-m", "chaincut", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_commands_write_no_warning(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    for args in (
        ["--help"],
        ["facts", str(APK), "-f", "jsonl"],
        ["scan", str(APK), str(PAGE), "-f", "jsonl", "-q"],
        ["ingest", str(APK), str(PAGE), "--db", db, "-q"],
        ["chains", "--db", db],
        ["store", "info", "--db", db],
    ):
        proc = _run(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Warning" not in proc.stderr, (args, proc.stderr)
        assert proc.stderr.strip() == "", (args, proc.stderr)


def test_dsa_signed_apks_verify_with_warnings_fatal() -> None:
    folder = corpus_dir("androguard") / "apksig"
    for name in (
        "v2-only-with-dsa-sha256-1024.apk",
        "v1-only-with-dsa-sha256-1.2.840.10040.4.1-1024.apk",
    ):
        apk = folder / name
        if not apk.is_file():
            continue
        proc = _run("facts", str(apk), "-f", "json", flag="error")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip() == ""
        assert '"DSA"' in proc.stdout
        assert '"verified": true' in proc.stdout


def test_signing_modules_import_without_a_warning() -> None:
    code = (
        "import chaincut.extractors.apk.signing.sigalg, chaincut.extractors.apk.signing.pkcs7, "
        "chaincut.extractors.apk.signing.certs, chaincut.cli.app"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_dsa_keys_are_recognised_and_verified_without_a_warning() -> None:
    from chaincut.extractors.apk.signing import sigalg
    from chaincut.extractors.apk.signing.dsakeys import is_dsa_public_key

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # making and loading DSA keys is what cryptography warns on
        from cryptography.hazmat.primitives.asymmetric import dsa

        private = dsa.generate_private_key(2048)
        spki = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signature = private.sign(b"signed data", hashes.SHA256())
        key = sigalg.load_key(spki, "DSA")
    alg = sigalg.ALGORITHMS[0x0301]  # DSA_WITH_SHA256
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert is_dsa_public_key(key)
        assert not is_dsa_public_key(object())
        assert sigalg.verify(alg, key, b"signed data", signature)
        assert not sigalg.verify(alg, key, b"other data", signature)
        assert not sigalg.verify(sigalg.ALGORITHMS[0x0103], key, b"signed data", signature)
