"""The Drive module: atomic writes (a killed run leaves no half-written file), checked reads, the three backends."""

import os
import subprocess
import sys
import textwrap
import types

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers import files
from helpers.errors import ConfigError, InputError


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.csv"
    files.write_text("old\n", target)
    with pytest.raises(RuntimeError):
        with files.atomic_write(target) as f:
            f.write("half of the new")
            raise RuntimeError("killed")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # the temp file is gone too


def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "bert_gan_real.csv"
    files.write_csv(pd.DataFrame({"a": [1]}), target)
    script = textwrap.dedent(f"""
        import os, signal
        from helpers.drive import atomic_write
        with atomic_write({str(target)!r}) as f:
            f.write("a\\n" + "2\\n" * 100000)
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    r = subprocess.run([sys.executable, "-c", script], cwd=os.path.dirname(drv.__file__) + "/..")
    assert r.returncode == -9
    assert pd.read_csv(target)["a"].tolist() == [1]  # readers still see the complete old file
    assert not any(p.name == target.name and p != target for p in tmp_path.iterdir())


def test_atomic_dir_publishes_a_folder_whole(tmp_path):
    target = tmp_path / "models" / "m"
    with files.atomic_dir(target) as d:
        (d / "weights").write_text("v1")
    with pytest.raises(ValueError):
        with files.atomic_dir(target) as d:
            (d / "weights").write_text("v2-partial")
            raise ValueError
    assert (target / "weights").read_text() == "v1"
    with files.atomic_dir(target) as d:
        (d / "weights").write_text("v2")
    assert (target / "weights").read_text() == "v2"
    assert sorted(p.name for p in target.parent.iterdir()) == ["m"]


def test_checked_reads_name_the_file(tmp_path):
    ok = files.write_csv(pd.DataFrame({"comment": ["x"], "reply": ["y"]}), tmp_path / "ok.csv")
    assert files.read_csv(ok, required=["comment"]).shape == (1, 2)
    with pytest.raises(InputError, match=r"ok\.csv.*missing column\(s\) \['split'\]"):
        files.read_csv(ok, required=["split"])
    with pytest.raises(InputError, match=r"nope\.csv: file not found"):
        files.read_csv(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match=r"empty\.csv: file is empty"):
        files.read_csv(tmp_path / "empty.csv")
    (tmp_path / "latin.csv").write_bytes("comment\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.csv: not UTF-8"):
        files.read_csv(tmp_path / "latin.csv")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match=r"bad\.json: not valid JSON"):
        files.read_json(tmp_path / "bad.json")
    assert files.read_json(files.write_json({"n": 1}, tmp_path / "good.json")) == {"n": 1}


def test_local_backend_and_bad_settings(tmp_path):
    d = drv.open_drive(tmp_path / "root", "local")
    assert d.root == (tmp_path / "root").resolve() and d.root.is_dir() and d.pull("x") == [] and d.push("x") == []
    with pytest.raises(ConfigError, match="drive_backend"):
        drv.open_drive(tmp_path, "dropbox")
    with pytest.raises(ConfigError, match="gdrive_folder"):
        drv.open_drive(tmp_path, "gdrive")


def test_colab_backend_mounts_and_uses_mydrive(tmp_path, monkeypatch):
    mounted = []
    colab = types.ModuleType("google.colab")
    colab.drive = types.SimpleNamespace(mount=lambda p: (mounted.append(p), os.makedirs(f"{p}/MyDrive")))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setattr(drv, "COLAB_MOUNT", str(tmp_path / "content" / "drive"))
    d = drv.open_drive("reddit_bot", "auto")
    assert d.backend == "colab" and mounted == [str(tmp_path / "content" / "drive")]
    assert d.root == (tmp_path / "content" / "drive" / "MyDrive" / "reddit_bot").resolve()
    drv.open_drive("reddit_bot", "colab")
    assert len(mounted) == 1  # already mounted: not again


def test_gdrive_backend_syncs_inputs_down_and_outputs_up(tmp_path):
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    remote = "/bot"
    producer = drv.open_drive(tmp_path / "cache1", "gdrive", remote, fs=fs)
    files.write_csv(pd.DataFrame({"text": ["a [SEP] b"]}), producer.path(drv.GPT2_FINETUNE))
    files.write_text("ckpt", producer.path("checkpoint", "run1", "model.index"))
    assert sorted(producer.push(drv.GPT2_FINETUNE, "checkpoint/run1")) == ["checkpoint/run1/model.index",
                                                                           drv.GPT2_FINETUNE]
    consumer = drv.open_drive(tmp_path / "cache2", "gdrive", remote, fs=fs)
    got = consumer.pull(drv.GPT2_FINETUNE, "checkpoint/run1", "missing.csv")
    assert sorted(got) == ["checkpoint/run1/model.index", drv.GPT2_FINETUNE]
    assert files.read_csv(consumer.path(drv.GPT2_FINETUNE))["text"].tolist() == ["a [SEP] b"]
    assert consumer.path("checkpoint", "run1", "model.index").read_text() == "ckpt"


def test_gdrive_without_credentials_says_what_to_set(tmp_path, monkeypatch):
    for k in ("GDRIVE_SERVICE_ACCOUNT_JSON", "GDRIVE_CLIENT_ID", "GDRIVE_CLIENT_SECRET"):
        monkeypatch.delenv(k, raising=False)
    with pytest.raises(ConfigError, match="GDRIVE_SERVICE_ACCOUNT_JSON"):
        drv.open_drive(tmp_path, "gdrive", "root/bot")


def test_atomic_files_and_folders_get_the_usual_permissions(tmp_path):
    import os
    import stat

    from helpers.files import atomic_dir, write_text

    old = os.umask(0o022)
    try:
        f = write_text("x", tmp_path / "a.txt")
        with atomic_dir(tmp_path / "model") as d:
            (d / "w.bin").write_bytes(b"1")
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "model").stat().st_mode) == 0o755
