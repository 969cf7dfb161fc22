"""The course data mirror, against a real HTTP server on 127.0.0.1 serving small files in the
real formats: downloads come from the mirror with progress and checksums, a corrupt file
is refused and fetched again next time, a mirror that is down gives one clear line, and
`python -m helpers.data mirror DIR` writes a mirror that students can fetch from."""

import functools
import gzip
import hashlib
import http.server
import io
import json
import socket
import threading
import zipfile

import numpy as np
import pytest

from helpers import data
from helpers.data import mirror, registry
from helpers.data.download import ChecksumError, DownloadError
from standin_mirror import idx_file

RNG = np.random.default_rng(0)
IMAGES = {"train": RNG.integers(0, 256, (12, 28, 28), dtype=np.uint8),
          "t10k": RNG.integers(0, 256, (5, 28, 28), dtype=np.uint8)}
LABELS = {"train": RNG.integers(0, 10, 12, dtype=np.uint8), "t10k": RNG.integers(0, 10, 5, dtype=np.uint8)}


def _idx(array: np.ndarray) -> bytes:
    """MNIST's IDX format (see standin_mirror.idx_file), gzipped."""
    return gzip.compress(idx_file(array), mtime=0)


def mnist_files() -> dict[str, bytes]:
    return {**{f"{split}-images-idx3-ubyte.gz": _idx(IMAGES[split]) for split in IMAGES},
            **{f"{split}-labels-idx1-ubyte.gz": _idx(LABELS[split]) for split in LABELS}}


def imagenet_npz() -> bytes:
    """imagenet_val_25.npz's layout: X (25, H, W, 3) uint8, y (25,), label_map a pickled {class: name}."""
    out = io.BytesIO()
    np.savez(out, X=RNG.integers(0, 256, (25, 8, 8, 3), dtype=np.uint8), y=np.arange(25),
             label_map=np.array({i: f"class {i}" for i in range(25)}, dtype=object))
    return out.getvalue()


def cifar10_archive() -> tuple[bytes, dict[str, bytes], np.ndarray]:
    """cifar-10-python.tar.gz's layout: cifar-10-batches-py/ with five training batches, a test
    batch and batches.meta, each a pickled dict (Python 2 str keys; `data` (N, 3072) uint8 rows
    of red, green then blue planes, `labels` a list). Returns the archive, its members, the test images."""
    import pickle
    import tarfile

    members, test_images = {}, None
    for i, name in enumerate([*(f"data_batch_{k}" for k in range(1, 6)), "test_batch"]):
        images = RNG.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
        rows = images.transpose(0, 3, 1, 2).reshape(2, 3072)
        members[name] = pickle.dumps({"batch_label": name, "data": rows, "labels": [i % 10, (i + 1) % 10],
                                      "filenames": ["a.png", "b.png"]}, protocol=2)
        test_images = images
    members["batches.meta"] = pickle.dumps({"label_names": ["airplane", "automobile", "bird", "cat", "deer", "dog",
                                                           "frog", "horse", "ship", "truck"]}, protocol=2)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tf:
        for name, blob in members.items():
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(blob)
            tf.addfile(info, io.BytesIO(blob))
    return out.getvalue(), members, test_images


def people_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("coco_humans/photos/000.jpg", b"\xff\xd8 not really a jpeg")
    return out.getvalue()


def sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def write_mirror_folder(folder, files: dict[str, bytes], index: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (folder / name).write_bytes(blob)
    if index:
        listing = [{"name": "?", "file": n, "size": len(b), "sha256": sha(b)} for n, b in files.items()]
        (folder / "index.json").write_text(json.dumps({"files": listing, "missing": []}))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        super().do_GET()


@pytest.fixture
def serve():
    """serve(folder) -> the URL of an HTTP server on 127.0.0.1 serving that folder."""
    servers = []
    _Quiet.requests = []

    def start(folder):
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def full_mode(monkeypatch, tmp_path):
    """Full mode with an empty cache, no course config file, and MNIST's MD5s set to the test files'."""
    from torchvision.datasets import MNIST

    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COURSE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    monkeypatch.delenv("COURSE_HF_SNAPSHOTS", raising=False)
    monkeypatch.delenv("COURSE_STANDIN_MIRROR", raising=False)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hf"))  # this machine's stays out
    monkeypatch.setattr(mirror, "_index_cache", {})
    monkeypatch.setattr(MNIST, "resources", [(n, hashlib.md5(b).hexdigest()) for n, b in mnist_files().items()])
    return tmp_path / "cache"


def test_mnist_and_an_npz_come_from_the_mirror_with_progress_and_checksums(full_mode, serve, tmp_path, monkeypatch,
                                                                           capsys):
    npz = imagenet_npz()
    write_mirror_folder(tmp_path / "site", {**mnist_files(), "imagenet_val_25.npz": npz})
    url = serve(tmp_path / "site")
    monkeypatch.setenv("COURSE_DATA_MIRROR", url + "/")

    images, labels = data.mnist()
    assert np.array_equal(images, IMAGES["train"]) and np.array_equal(labels, LABELS["train"])
    path = data.fetch("imagenet_val_25")
    assert path == full_mode / "imagenet_val_25.npz" and path.read_bytes() == npz
    with np.load(path, allow_pickle=True) as f:
        assert f["X"].shape == (25, 8, 8, 3) and f["label_map"].item()[3] == "class 3"

    err = capsys.readouterr().err  # tqdm's bars
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "imagenet_val_25.npz"):
        assert name in err and "100%" in err
    assert "/train-images-idx3-ubyte.gz" in _Quiet.requests and "/imagenet_val_25.npz" in _Quiet.requests
    assert json.loads((full_mode / "checksums.json").read_text())["imagenet_val_25"] == sha(npz)

    served = len(_Quiet.requests)  # a second load reads the cache
    assert np.array_equal(data.load("mnist", train=False)[0], IMAGES["t10k"])
    data.fetch("imagenet_val_25")
    assert len(_Quiet.requests) == served


def test_a_corrupt_file_is_refused_with_the_entry_name_and_fetched_again_next_time(full_mode, serve, tmp_path,
                                                                                   monkeypatch):
    good = imagenet_npz()
    site = tmp_path / "site"
    write_mirror_folder(site, {"imagenet_val_25.npz": good})  # the index holds the good file's SHA-256
    (site / "imagenet_val_25.npz").write_bytes(good[: len(good) // 2])  # ... the server a truncated copy
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))

    with pytest.raises(ChecksumError) as err:
        data.fetch("imagenet_val_25", progress=False)
    message = str(err.value)
    assert "'imagenet_val_25'" in message and "corrupt or truncated" in message and "\n" not in message
    assert not [p.name for p in full_mode.iterdir() if p.name.startswith("imagenet_val_25")]

    (site / "imagenet_val_25.npz").write_bytes(good)  # the instructor repairs the mirror
    assert data.fetch("imagenet_val_25", progress=False).read_bytes() == good


def test_a_corrupt_mnist_file_fails_torchvision_s_md5_and_is_fetched_again(full_mode, serve, tmp_path, monkeypatch):
    files = mnist_files()
    site = tmp_path / "site"
    write_mirror_folder(site, {**files, "train-labels-idx1-ubyte.gz": b"garbage"}, index=False)
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))

    with pytest.raises(ChecksumError, match=r"'mnist': train-labels-idx1-ubyte.gz from http://127.0.0.1:\d+/"
                                            r"train-labels-idx1-ubyte.gz is corrupt or truncated \(MD5"):
        data.mnist()
    assert not (full_mode / "torchvision" / "MNIST" / "raw" / "train-labels-idx1-ubyte.gz").exists()

    (site / "train-labels-idx1-ubyte.gz").write_bytes(files["train-labels-idx1-ubyte.gz"])
    assert np.array_equal(data.mnist()[1], LABELS["train"])


def test_an_archive_that_does_not_unpack_is_deleted_and_fetched_again(full_mode, serve, tmp_path, monkeypatch):
    site = tmp_path / "site"
    good = people_zip()
    write_mirror_folder(site, {"coco_humans.zip": good[:-30]}, index=False)  # no checksum known anywhere
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))

    with pytest.raises(ChecksumError, match="'coco_humans': the archive from .*coco_humans.zip does not unpack"):
        data.people_image_folder()
    assert not list(full_mode.glob("coco_humans*")) and not (full_mode / "checksums.json").exists()

    (site / "coco_humans.zip").write_bytes(good)
    folder = data.people_image_folder()
    assert (folder / "coco_humans" / "photos" / "000.jpg").exists()


def test_cifar10_comes_from_the_mirror_unpacked_where_torchvision_reads_it(full_mode, serve, tmp_path,
                                                                          monkeypatch, capsys):
    from torchvision.datasets import CIFAR10

    archive, members, test_images = cifar10_archive()
    md5 = {name: hashlib.md5(blob).hexdigest() for name, blob in members.items()}
    monkeypatch.setattr(CIFAR10, "tgz_md5", hashlib.md5(archive).hexdigest())
    monkeypatch.setattr(CIFAR10, "train_list", [[n, md5[n]] for n in members if n.startswith("data_batch")])
    monkeypatch.setattr(CIFAR10, "test_list", [["test_batch", md5["test_batch"]]])
    monkeypatch.setattr(CIFAR10, "meta", {**CIFAR10.meta, "md5": md5["batches.meta"]})
    write_mirror_folder(tmp_path / "site", {"cifar-10-python.tar.gz": archive})
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(tmp_path / "site"))

    images = data.load("cifar10")
    assert images.train_images.shape == (10, 32, 32, 3) and images.train_images.dtype == np.uint8
    assert np.array_equal(images.test_images, test_images) and list(images.test_labels) == [5, 6]
    assert "cifar-10-python.tar.gz" in capsys.readouterr().err
    assert (full_mode / "torchvision" / "cifar-10-batches-py" / "batches.meta").exists()


def test_squeezenet_from_the_mirror_is_checked_against_the_hash_prefix_in_its_name(full_mode, serve, tmp_path,
                                                                                   monkeypatch):
    from helpers.netvis.models import check_hash_prefix, pretrained_squeezenet, squeezenet_cache_path

    blob = b"weights"
    named = tmp_path / f"net-{sha(blob)[:8]}.pth"
    named.write_bytes(blob)
    check_hash_prefix(named)  # matches: kept
    assert named.exists()

    site = tmp_path / "site"
    write_mirror_folder(site, {"squeezenet1_1-b8a52dc0.pth": blob}, index=False)
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))
    with pytest.raises(ChecksumError, match="'squeezenet': squeezenet1_1-b8a52dc0.pth is corrupt.*with b8a52dc0"):
        pretrained_squeezenet(device="cpu")
    assert "/squeezenet1_1-b8a52dc0.pth" in _Quiet.requests and not squeezenet_cache_path().exists()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_mirror_that_is_down_gives_one_line_naming_the_url(full_mode, monkeypatch):
    down = f"http://127.0.0.1:{_closed_port()}/course"
    monkeypatch.setenv("COURSE_DATA_MIRROR", down)
    with pytest.raises(DownloadError) as err:
        data.fetch("imagenet_val_25", progress=False)
    message = str(err.value)
    assert "\n" not in message and "dataset 'imagenet_val_25'" in message
    assert f"{down}/imagenet_val_25.npz" in message and "COURSE_DATA_MIRROR" in message
    assert str(full_mode / "imagenet_val_25.npz") in message
    assert "python -m helpers.data fetch imagenet_val_25" in message

    for load, file in ((data.mnist, "train-images-idx3-ubyte.gz"),
                       (lambda: data.load("cifar10"), "cifar-10-python.tar.gz"),
                       (lambda: data.load("simclr_resnet50"), "pretrained_simclr_model.pth"),
                       (lambda: data.load("squeezenet", device="cpu"), "squeezenet1_1-b8a52dc0.pth")):
        with pytest.raises(DownloadError) as err:
            load()
        assert "\n" not in str(err.value) and f"{down}/{file}" in str(err.value), str(err.value)


def test_the_mirror_comes_from_the_course_config_file_unless_the_environment_says(full_mode, tmp_path, monkeypatch):
    config = tmp_path / "course.toml"
    config.write_text('data_mirror = "https://data.example.edu/dl/"\nhf_snapshots = "/srv/hf"\n')
    monkeypatch.setenv("COURSE_CONFIG", str(config))
    url = registry.lookup("coco_captioning").real.url
    assert mirror.source_url(url) == "https://data.example.edu/dl/coco_captioning.zip"
    assert str(config) in mirror.mirror_setting() and str(mirror.hf_snapshots()) == "/srv/hf"
    monkeypatch.setenv("COURSE_DATA_MIRROR", "https://other.example.org")
    assert mirror.source_url(url) == "https://other.example.org/coco_captioning.zip"
    monkeypatch.delenv("COURSE_DATA_MIRROR")
    monkeypatch.setenv("COURSE_CONFIG", str(tmp_path / "missing.toml"))
    assert mirror.source_url(url) == url  # no setting: the original host


def test_mirror_command_writes_a_mirror_from_the_cache_that_students_fetch_from(full_mode, serve, tmp_path,
                                                                               monkeypatch, capsys):
    npz, people = imagenet_npz(), people_zip()
    (full_mode / "torchvision" / "MNIST" / "raw").mkdir(parents=True)
    for name, blob in mnist_files().items():
        (full_mode / "torchvision" / "MNIST" / "raw" / name).write_bytes(blob)
    (full_mode / "imagenet_val_25.npz").write_bytes(npz)
    (full_mode / "coco_humans.zip").write_bytes(people)

    site = tmp_path / "site"
    assert registry.main(["mirror", str(site)]) == 0
    index = json.loads((site / "index.json").read_text())
    listed = {f["file"]: f for f in index["files"]}
    assert set(listed) == {*mnist_files(), "imagenet_val_25.npz", "coco_humans.zip"}
    assert listed["imagenet_val_25.npz"] == {"name": "imagenet_val_25", "file": "imagenet_val_25.npz",
                                             "size": len(npz), "sha256": sha(npz)}
    assert {m["name"] for m in index["missing"]} == {"coco_captioning", "cifar10", "simclr_resnet50", "squeezenet",
                                                     "stable_diffusion"}  # not in this cache: listed, not an error
    assert (site / "coco_humans.zip").read_bytes() == people
    assert "not cached" in capsys.readouterr().out

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "student"))  # a student's empty cache
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))
    assert np.array_equal(data.mnist()[0], IMAGES["train"])
    assert data.fetch("imagenet_val_25", progress=False).read_bytes() == npz
    assert (data.people_image_folder() / "coco_humans" / "photos" / "000.jpg").exists()

    (tmp_path / "student" / "imagenet_val_25.npz").unlink()  # the mirror's index is checked against
    (tmp_path / "student" / "checksums.json").unlink()
    (site / "imagenet_val_25.npz").write_bytes(npz[:-1] + b"x")
    with pytest.raises(ChecksumError, match="'imagenet_val_25'.*expected " + sha(npz)):
        data.fetch("imagenet_val_25", progress=False)


def test_every_download_says_how_it_is_checked_and_the_public_checksums_are_torchvision_s():
    from torchvision.datasets import CIFAR10
    from torchvision.models import SqueezeNet1_1_Weights

    from helpers.simclr.data import CIFAR10_MD5

    trusted_on_first_use = {name for name in registry.REGISTRY
                            if registry.checksum_status(name).startswith("trust on first use")}
    # The README's "Hosting the course data" lists these; pinning one means updating it.
    assert trusted_on_first_use == {"coco_captioning", "imagenet_val_25", "coco_humans", "simclr_resnet50",
                                    "stable_diffusion"}
    squeezenet = registry.lookup("squeezenet").real
    assert squeezenet.url == SqueezeNet1_1_Weights.IMAGENET1K_V1.url  # the name whose prefix is checked
    assert squeezenet.url.rsplit("-", 1)[1].split(".")[0] in registry.checksum_status("squeezenet")
    assert CIFAR10.tgz_md5 == CIFAR10_MD5


def test_stable_diffusion_reads_a_local_snapshot_folder_when_one_is_set(full_mode, tmp_path, monkeypatch):
    import torch
    from diffusers import StableDiffusionPipeline

    from helpers.models.stable_diffusion import NotCachedError, pretrained_stable_diffusion

    snapshots = tmp_path / "hf-snapshots"
    monkeypatch.setenv("COURSE_HF_SNAPSHOTS", str(snapshots))
    with pytest.raises(NotCachedError, match="CompVis/stable-diffusion-v1-4 is not in the snapshot folder .*"
                                             "hf-snapshots/CompVis/stable-diffusion-v1-4/model_index.json"):
        pretrained_stable_diffusion(torch.device("cpu"))

    (snapshots / "CompVis" / "stable-diffusion-v1-4").mkdir(parents=True)
    (snapshots / "CompVis" / "stable-diffusion-v1-4" / "model_index.json").write_text("{}")
    calls = []

    class Loaded(Exception):
        pass

    def from_pretrained(source, **kwargs):  # the real loading is diffusers' and needs a full snapshot
        calls.append((source, kwargs.get("local_files_only")))
        raise Loaded

    monkeypatch.setattr(StableDiffusionPipeline, "from_pretrained", from_pretrained)
    with pytest.raises(Loaded):
        pretrained_stable_diffusion(torch.device("cpu"))
    assert calls == [(str(snapshots / "CompVis" / "stable-diffusion-v1-4"), True)]


def test_a_hugging_face_snapshot_goes_through_the_mirror_file_by_file_checked(full_mode, serve, tmp_path,
                                                                                monkeypatch, capsys):
    from helpers.data.hf_mirror import course_snapshot, fetch_snapshot, local_snapshot

    repo = "CompVis/stable-diffusion-v1-4"
    snap = tmp_path / "snapshots" / repo  # the instructor's copy (e.g. `hf download ... --local-dir`)
    (snap / "unet").mkdir(parents=True)
    (snap / "model_index.json").write_text('{"_class_name": "StableDiffusionPipeline"}')
    (snap / "unet" / "config.json").write_text('{"sample_size": 64}')
    for extra in ("diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
                  "diffusion_pytorch_model.bin", "diffusion_flax_model.msgpack"):
        (snap / "unet" / extra).write_bytes(extra.encode())
    monkeypatch.setenv("COURSE_HF_SNAPSHOTS", str(tmp_path / "snapshots"))
    site = tmp_path / "site"
    registry.main(["mirror", str(site)])
    listed = {f["file"]: f for f in json.loads((site / "index.json").read_text())["files"]}
    ours = {f for f in listed if f.startswith("hf/")}
    assert ours == {f"hf/{repo}/model_index.json", f"hf/{repo}/unet/config.json",
                    f"hf/{repo}/unet/diffusion_pytorch_model.safetensors"}  # what from_pretrained reads, no more
    assert listed[f"hf/{repo}/unet/config.json"]["name"] == "stable_diffusion"

    monkeypatch.delenv("COURSE_HF_SNAPSHOTS")
    monkeypatch.setenv("COURSE_DATA_MIRROR", serve(site))
    assert local_snapshot(repo) is None
    folder = fetch_snapshot("stable_diffusion", repo, registry.download_entry_file, progress=False)
    assert folder == course_snapshot(repo) == local_snapshot(repo)
    assert (folder / "unet" / "config.json").read_text() == '{"sample_size": 64}'

    (site / "hf" / repo / "unet" / "config.json").write_text('{"sample_size": 65}')  # damaged on the mirror
    monkeypatch.setattr(mirror, "_index_cache", {})
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "other-student"))
    with pytest.raises(ChecksumError, match="'stable_diffusion'.*unet/config.json"):
        fetch_snapshot("stable_diffusion", repo, registry.download_entry_file, progress=False)
    assert local_snapshot(repo) is None  # incomplete: fetched again next time

    index = json.loads((site / "index.json").read_text())  # a hostile index cannot write outside the cache
    index["files"].append({"name": "stable_diffusion", "file": f"hf/{repo}/../../../../escaped.txt", "size": 1,
                           "sha256": "0" * 64})
    (site / "index.json").write_text(json.dumps(index))
    monkeypatch.setattr(mirror, "_index_cache", {})
    with pytest.raises(DownloadError, match="outside its repository folder"):
        fetch_snapshot("stable_diffusion", repo, registry.download_entry_file, progress=False)
    assert not list(tmp_path.rglob("escaped.txt"))


def test_the_stand_in_setting_is_honoured_only_for_a_mirror_on_this_machine(full_mode, monkeypatch):
    monkeypatch.setenv("COURSE_STANDIN_MIRROR", "1")
    monkeypatch.setenv("COURSE_DATA_MIRROR", "http://127.0.0.1:8000/dl")
    assert mirror.standin_mirror()
    monkeypatch.setenv("COURSE_DATA_MIRROR", "https://data.example.edu/dl")
    assert not mirror.standin_mirror()  # a remote mirror keeps torchvision's checks


def test_a_hugging_face_snapshot_with_the_mirror_down_gives_one_line_naming_the_index(full_mode, monkeypatch):
    from helpers.data.hf_mirror import fetch_snapshot

    monkeypatch.setenv("COURSE_DATA_MIRROR", "http://127.0.0.1:9/dl")
    with pytest.raises(DownloadError) as err:
        fetch_snapshot("stable_diffusion", "CompVis/stable-diffusion-v1-4", registry.download_entry_file)
    assert "http://127.0.0.1:9/dl/index.json" in str(err.value) and "\n" not in str(err.value)
