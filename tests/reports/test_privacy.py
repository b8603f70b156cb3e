"""Pseudonym key handling and suppression."""

from __future__ import annotations

import hashlib
import hmac
import stat

import pandas as pd
import pytest

from toolkit.reports import disclose as privacy


def test_key_file_created_once_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("CTTK_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("CTTK_CONFIG_DIR", str(tmp_path / "cfg"))
    key = privacy.pseudonym_key()
    path = tmp_path / "cfg" / "pseudonym.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert privacy.pseudonym_key() == key and len(key) == 32


def test_pseudonym_is_hmac_sha256(monkeypatch):
    key = b"k" * 32
    expected = "P-" + hmac.new(key, b"t1", hashlib.sha256).hexdigest()[:10]
    assert privacy.pseudonym("t1", key) == expected
    assert privacy.pseudonym("t1", b"x" * 32) != expected
    monkeypatch.setenv("CTTK_PSEUDONYM_KEY", "zz")
    with pytest.raises(privacy.PrivacyError):
        privacy.pseudonym_key()


def test_suppression_primary_and_complementary():
    table = pd.DataFrame(
        {"group": ["a", "b", "c", "d"], "n": [12, 3, 7, 0], "mean": [1.0, 2.0, 3.0, None]}
    )
    plain = privacy.suppress(table, threshold=5)
    assert plain["suppressed"].tolist() == [False, True, False, False]
    assert plain.loc[1, "mean"] is None and plain.loc[1, "n"] is None
    withtotal = privacy.suppress(table, threshold=5, total=True)
    assert withtotal["suppressed"].tolist() == [False, True, True, False]
    assert privacy.suppression_mask([2, 3, 9], 5, total=True).tolist() == [True, True, False]
