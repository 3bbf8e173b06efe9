"""BigQuery answering "Access Denied" (as the public fh-bigquery tables do since January 2025): a real
google-cloud-bigquery client against a loopback endpoint that answers jobs.insert with BigQuery's 403 body."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from helpers.data import bigquery_source as bq
from helpers.errors import StageError


class Denied(BaseHTTPRequestHandler):
    paths: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Denied.paths.append(self.path)
        table = "fh-bigquery:reddit_comments.2018_01"
        body = json.dumps({"error": {"code": 403, "status": "PERMISSION_DENIED",
                                     "message": f"Access Denied: Table {table}: User does not have permission to "
                                                f"query table {table}, or perhaps it does not exist.",
                                     "errors": [{"reason": "accessDenied", "domain": "global",
                                                 "message": f"Access Denied: Table {table}"}]}}).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def client():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Denied)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Denied.paths = []
    host, port = server.server_address[:2]
    yield bigquery.Client(project="test-project", credentials=AnonymousCredentials(),
                          client_options={"api_endpoint": f"http://{host}:{port}"})
    server.shutdown()
    server.server_close()


def test_public_tables_denied_says_what_to_do(client, tmp_path):
    with pytest.raises(StageError) as e:
        bq.pull_months(client, ["2018_01"], ["writing"], tmp_path)
    msg = str(e.value)
    assert "no longer readable" in msg and "fh-bigquery.reddit_comments.2018_01" in msg
    assert "comments_table" in msg and "posts_table" in msg and "bq load" in msg and "arctic_shift" in msg
    assert "POST http" not in msg and "Access Denied: Table fh-bigquery:reddit_comments.2018_01" in msg
    assert Denied.paths and all("/projects/test-project/jobs" in p for p in Denied.paths)
    assert not list(tmp_path.iterdir())


def test_own_tables_denied_names_the_permissions(client, tmp_path):
    with pytest.raises(StageError, match="my_data.comments_2018_01.*can read those tables.*Job User"):
        bq.pull_months(client, ["2018_01"], ["writing"], tmp_path, comments_template="my_data.comments_{month}",
                       posts_template="my_data.posts_{month}")
