"""The downloader against a real HTTP server on 127.0.0.1: cache, checksum, resume, errors."""

import hashlib
import http.server
import io
import tarfile
import threading
import zipfile

import pytest

from helpers.data.cache import cache_dir
from helpers.data.download import ChecksumError, DownloadError, download, extract

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves PAYLOAD with Range support; the first GET of /flaky stops half way."""

    requests: list = []
    flaky_done = False

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append((self.path, self.headers.get("Range")))
        start = 0
        if self.headers.get("Range"):
            start = int(self.headers["Range"].split("=")[1].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(PAYLOAD) - 1}/{len(PAYLOAD)}")
        else:
            self.send_response(200)
        body = PAYLOAD[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == "/flaky" and not type(self).flaky_done:
            type(self).flaky_done = True
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)  # the connection drops mid-transfer
            return
        self.wfile.write(body)


@pytest.fixture
def server():
    _Handler.requests, _Handler.flaky_done = [], False
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_verifies_and_reuses_the_cached_file(server, tmp_path):
    dest = download(f"{server}/data.bin", tmp_path / "data.bin", sha256=DIGEST, progress=False)
    assert dest.read_bytes() == PAYLOAD
    download(f"{server}/data.bin", tmp_path / "data.bin", sha256=DIGEST, progress=False)
    assert len(_Handler.requests) == 1  # second call hit the cache


def test_checksum_mismatch_raises_and_deletes(server, tmp_path):
    with pytest.raises(ChecksumError, match="expected 0000"):
        download(f"{server}/data.bin", tmp_path / "data.bin", sha256="0" * 64, progress=False)
    assert not list(tmp_path.iterdir())


def test_interrupted_download_resumes_where_it_stopped(server, tmp_path):
    dest = tmp_path / "flaky.bin"
    with pytest.raises(DownloadError):
        download(f"{server}/flaky", dest, sha256=DIGEST, progress=False)
    part = tmp_path / "flaky.bin.part"
    assert 0 < part.stat().st_size < len(PAYLOAD)
    have = part.stat().st_size
    download(f"{server}/flaky", dest, sha256=DIGEST, progress=False)
    assert dest.read_bytes() == PAYLOAD and not part.exists()
    assert _Handler.requests[-1] == ("/flaky", f"bytes={have}-")


def test_unreachable_host_names_the_url_and_the_destination(tmp_path):
    url = "http://127.0.0.1:9/nothing.zip"  # the discard port: nothing listens
    with pytest.raises(DownloadError) as err:
        download(url, tmp_path / "nothing.zip", progress=False)
    assert url in str(err.value) and str(tmp_path / "nothing.zip") in str(err.value)
    assert "COURSE_SAMPLE_MODE" in str(err.value)


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here" and cache_dir().is_dir()


def test_extract_zip_and_tar(tmp_path):
    zpath = tmp_path / "a.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("inner/x.txt", "zip")
    assert (extract(zpath) / "inner" / "x.txt").read_text() == "zip"
    tpath = tmp_path / "b.tar.gz"
    with tarfile.open(tpath, "w:gz") as tf:
        info = tarfile.TarInfo("y.txt")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"tar"))
    assert (extract(tpath) / "y.txt").read_text() == "tar"
    bad = tmp_path / "c.zip"
    bad.write_text("not an archive")
    with pytest.raises(DownloadError, match="neither a zip nor a tar"):
        extract(bad)
