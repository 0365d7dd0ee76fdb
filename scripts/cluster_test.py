#!/usr/bin/env python3
"""acta on two servers over a PostgreSQL primary and its synchronous streaming replica
(scripts/cluster.sh), tested as a user would see it:

1. a write through one server is read through the other at once: a sitting created, a
   published act withdrawn (cached view and search index of the other server follow);
   a session opened on one server is valid on the other;
2. numbering and credits stay race-free with writers spread over both servers: 1 000 items
   closed at once by 8 writers get 1 000 distinct numbers without a gap (the in-process
   test of crates/app/tests/numbering_concurrency.rs, through HTTP); 20 awards of 100 EUR
   competing for a line of 1 000 EUR: exactly 10 are accepted;
3. a third server reads the portal, the search and the open data on the replica
   (`--read-database`, at most 2 s behind): it says so in its headers with the lag; with the
   replica's replay paused, a write is not served from the replica, the lag shown never
   passes the bound, and once it would the primary is read (the write is then there); the
   replay resumed, the replica is read again;
4. the primary is killed during a run of writes through both servers, the replica is
   promoted, the servers go on without a restart, and every write acknowledged to a client
   is in the database (counted); a write whose commit reached the replica while its answer
   was lost with the primary is found there once, its retry refused as a duplicate; the
   third server reads the promoted replica.

Needs root, postgresql-15, haproxy and curl (see .ci/run). Usage:
    ACTA=target/debug/acta scripts/cluster_test.py
Only the Python standard library is used.
"""

import collections
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLUSTER = os.path.join(ROOT, "scripts", "cluster.sh")
ACTA = os.path.abspath(os.environ.get("ACTA", os.path.join(ROOT, "target", "debug", "acta")))
PASSWORD = "Une phrase de passe pour la grappe 2026"
SERVER1, SERVER2, HTTP_FRONT, READER = 8091, 8092, 8088, 8093
MAX_READ_LAG_MS = 2000  # scripts/cluster.sh starts the reader with --max-read-lag 2
SECOND_HOST = "deux.cluster.test"


def log(message):
    print(f"[cluster-test] {message}", flush=True)


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Client:
    """A logged-in API client on one server; `host` names the collectivity served."""

    def __init__(self, port, host=None, cookie=None, csrf=None):
        self.port, self.host, self.cookie, self.csrf = port, host, cookie, csrf

    def on(self, port):
        """The same session, sent to another server."""
        return Client(port, self.host, self.cookie, self.csrf)

    def request(self, method, path, body=None, form=False, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if self.host:
            headers["Host"] = self.host
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body)
                headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, dict(response.getheaders()), raw
        finally:
            conn.close()

    def json(self, method, path, body=None):
        status, _, raw = self.request(method, path, body)
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    @staticmethod
    def log_in(port, login, host=None):
        client = Client(port, host)
        status, headers, raw = client.request(
            "POST", "/connexion", {"identifiant": login, "mot_de_passe": PASSWORD}, form=True
        )
        check(status == 303, f"log-in of {login}: {status} {raw[:300]!r}")
        cookie = headers.get("Set-Cookie") or headers.get("set-cookie")
        client.cookie = cookie.split(";")[0]
        status, info = client.json("GET", "/api/session")
        check(status == 200, f"session of {login}: {status} {info}")
        client.csrf = info["csrf_token"]
        return client


def cluster(command, workdir):
    subprocess.run([CLUSTER, command, workdir], check=True, env={**os.environ, "ACTA": ACTA})


def acta(workdir, *args, collectivity=1, expect_ok=True):
    with open(os.path.join(workdir, "database-url")) as f:
        url = f.read().strip()
    run = subprocess.run(
        [ACTA, "--database", url, "--collectivity", str(collectivity), "--as", "exploitation",
         "--index", os.path.join(workdir, f"index-cli-{collectivity}"), *args],
        capture_output=True, text=True, env={**os.environ, "ACTA_PASSWORD": PASSWORD},
    )
    if expect_ok and run.returncode != 0:
        raise Failure(f"acta {' '.join(args)}: {run.stderr}")
    return run.stdout


def psql(sql, port=5434):
    run = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc", sql, "acta"],
        capture_output=True, text=True, check=True,
    )
    return run.stdout.strip()


def second_collectivity_dataset(items, award_items):
    """A commune with a Commission permanente of six, a sitting of `items` items to number
    and one of `award_items` items to award on a line of 1 000 EUR."""
    lines = ['''
members = [
  { civility = "Mme", first_name = "Anne", last_name = "ALPHA" },
  { civility = "M.", first_name = "Bruno", last_name = "BETA" },
  { civility = "Mme", first_name = "Chloé", last_name = "GAMMA" },
  { civility = "M.", first_name = "David", last_name = "DELTA" },
  { civility = "Mme", first_name = "Emma", last_name = "EPSILON" },
  { civility = "M.", first_name = "Félix", last_name = "ZETA" },
]

[collectivity]
name = "Commune de Grappe"
header_name = "COMMUNE DE GRAPPE"
kind = "commune"
department_code = "80"
siren = "218000008"
address = { street = "1 place de la Mairie", postal_code = "80000", city = "Grappe" }
seat_city = "GRAPPE"

[[bodies]]
key = "cp"
kind = "permanent_commission"
name = "Commission permanente"

[[mandates]]
body = "cp"
role = "president"
voting = true
members = ["Anne ALPHA"]

[[mandates]]
body = "cp"
role = "member"
voting = true
members = ["Bruno BETA", "Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"]

[[budget_lines]]
key = "l1"
year = 2026
operation_code = "OP-GRAPPE"
label = "SUBVENTIONS"
imputation = "65748//93221"
voted = "1 000,00"

[[beneficiaries]]
key = "asso"
name = "Association des Collèges"
legal_status = "association loi 1901"
siret = "21860194600013"
address = { street = "2 place du Marché", postal_code = "80000", city = "Grappe" }
''']
    present = '["Anne ALPHA", "Bruno BETA", "Chloé GAMMA", "David DELTA", "Emma EPSILON", "Félix ZETA"]'
    for key, date in (("numbering", "2026-06-15"), ("awards", "2026-06-22")):
        lines.append(f'''
[[sittings]]
key = "{key}"
body = "cp"
date = "{date}"
president = "Anne ALPHA"
[sittings.attendance]
present = {present}
''')
    number = 0
    for sitting, count in (("numbering", items), ("awards", award_items)):
        for _ in range(count):
            number += 1
            lines.append(f'''
[[reports]]
key = "r{number}"
sitting = "{sitting}"
number = {number}
title = "RAPPORT {number}"
territories = "all"
cantons = "all"
epcis = "all"
sections = []
conclusion = []
''')
            if sitting == "numbering":
                lines.append(f'''
[[deliberations]]
report = "r{number}"
title = "RAPPORT {number}"
place = "GRAPPE"
date = "2026-06-15"
visas = []
articles = []
signatories = []
''')
    return "".join(lines)


def a_write_on_one_server_is_read_on_the_other(staff):
    one, two = staff, staff.on(SERVER2)
    # The published act, read (and cached) by the second server first.
    status, act = two.json("GET", "/api/deliberations/2023-479")
    check(status == 200, f"published act on server 2: {status} {act}")
    status, found = two.json("GET", "/api/search?q=chambre%20des%20metiers")
    check(status == 200 and found["total"] >= 1, f"search on server 2: {found}")
    # A sitting created through server 1 is on server 2's back office.
    status, created = one.json("POST", "/api/seances", {"instance": "cp", "date": "2030-03-04"})
    check(status == 201, f"sitting through server 1: {status} {created}")
    status, _, page = two.request("GET", f"/gestion/seances/{created['id']}")
    check(status == 200 and "2030" in page.decode(), f"sitting on server 2: {status}")
    # And through the HTTP front, whichever server answers.
    for _ in range(2):
        status, _, page = staff.on(HTTP_FRONT).request("GET", f"/gestion/seances/{created['id']}")
        check(status == 200 and "2030" in page.decode(), f"sitting through the front: {status}")
    # A withdrawal through server 1 is in server 2's next read of the act.
    status, answer = one.json(
        "POST", "/api/publications/2023-479/retrait",
        {"date": time.strftime("%Y-%m-%d"), "motif": "Retrait lu sur l'autre serveur"},
    )
    check(status == 200, f"withdrawal through server 1: {status} {answer}")
    status, _, raw = two.request("GET", "/api/deliberations/2023-479")
    check("Retrait lu sur l'autre serveur" in raw.decode(), f"server 2 still serves the old view: {raw[:300]!r}")
    log("a write through one server is read through the other (session, back office, cached view)")


def read_on_the_reader(path):
    """A public read on the server with a replica: status, where it read, the lag it shows
    (-1 when none), the body."""
    status, headers, raw = Client(READER).request("GET", path)
    headers = {k.lower(): v for k, v in headers.items()}
    return status, headers.get("acta-read-from"), int(headers.get("acta-read-lag-ms", "-1")), raw


def reads_on_the_replica_are_bounded(workdir):
    # Caught up: the replica is read, and has the withdrawal written through server 1.
    deadline = time.monotonic() + 10
    while True:
        status, source, lag, raw = read_on_the_reader("/api/deliberations/2023-479")
        check(status == 200 and source == "replica" and 0 <= lag <= MAX_READ_LAG_MS,
              f"reader, caught up: {status} {source} {lag} ms")
        if "Retrait lu sur l'autre serveur" in raw.decode():
            break
        check(time.monotonic() < deadline, "the withdrawal never reached the replica's reader")
        time.sleep(0.2)
    status, _, page = Client(READER).request("GET", "/")
    check(status == 200 and "Page lue sur une copie de la base" in page.decode(),
          "the portal's home does not say it was read on the replica")

    # Replay paused: an archive imported through the primary is not on the replica. The
    # reader serves the replica (without it) only while the lag it shows is within the
    # bound, then the primary (with it).
    with open(os.path.join(ROOT, "crates", "import", "tests", "seed", "pas-de-calais-2023-479.txt")) as f:
        text = f.read()
    archive = os.path.join(workdir, "archive-2023-990.txt")
    with open(archive, "w") as f:
        f.write(text.replace("2023-479", "2023-990"))
    psql("SELECT pg_wal_replay_pause()")
    try:
        acta(workdir, "import", "archives", archive)
        check(psql("SELECT count(*) FROM archived_act WHERE number = '2023-990'", port=5433) == "1",
              "the archive is not in the primary")
        seen = collections.Counter()
        deadline = time.monotonic() + 20
        while True:
            status, source, lag, raw = read_on_the_reader("/api/archives/2023-990")
            seen[source] += 1
            if source == "primary":
                check(status == 200 and "2023-990" in raw.decode(), f"primary read: {status} {raw[:200]!r}")
                break
            check(source == "replica" and status == 404, f"replica read of a write it has not replayed: {status} {source}")
            check(0 <= lag <= MAX_READ_LAG_MS, f"the replica was read {lag} ms behind (bound {MAX_READ_LAG_MS} ms)")
            check(time.monotonic() < deadline, "the reader never left the paused replica")
            time.sleep(0.1)
        status, _, page = Client(READER).request("GET", "/")
        check(status == 200 and "Page lue sur une copie de la base" not in page.decode(),
              "the home page read on the primary still says it was read on the replica")
    finally:
        psql("SELECT pg_wal_replay_resume()")

    # Resumed: the replica is read again, with the archive.
    deadline = time.monotonic() + 20
    while True:
        status, source, lag, _ = read_on_the_reader("/api/archives/2023-990")
        if source == "replica" and status == 200:
            break
        check(time.monotonic() < deadline, f"the reader never came back to the replica: {status} {source}")
        time.sleep(0.2)
    log(f"reads on the replica: lag shown and within {MAX_READ_LAG_MS} ms; replay paused, "
        f"{seen['replica']} read(s) on the replica without the new write, then the primary with it; "
        "replay resumed, the replica again")


def numbering_is_race_free_over_two_servers(second, sitting_id, items):
    vote = {"vote": {"mode": "totals", "for": 6, "against": 0, "abstention": 0, "not_participating": 0}}
    clients = [second, second.on(SERVER2)]

    def close(position):
        client = clients[position % 2]
        status, answer = client.json("POST", f"/api/seances/{sitting_id}/points/{position}/cloture", vote)
        check(status == 200, f"closing item {position}: {status} {answer}")
        return answer

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(close, range(1, items + 1)))
    numbers = psql(
        "SELECT number FROM deliberation WHERE collectivity_id = 2 AND number IS NOT NULL", port=5433
    ).split()
    expected = {f"2026-{i}" for i in range(1, items + 1)}
    check(len(numbers) == items, f"{len(numbers)} numbers for {items} items")
    check(set(numbers) == expected, f"duplicates or gaps: {sorted(set(expected) ^ set(numbers))[:10]}")
    log(f"{items} items closed by 8 writers through both servers: {items} distinct numbers, no gap")


def credits_are_race_free_over_two_servers(second, first_item, award_items):
    clients = [second, second.on(SERVER2)]

    def propose(position):
        client = clients[position % 2]
        status, answer = client.json("POST", "/api/attributions", {
            "seance": "2026-06-22", "point": position, "beneficiaire": "21860194600013",
            "ligne": "OP-GRAPPE", "montant": "100", "annee": 2026, "nature": "subvention",
            "objet": f"Projet {position}",
        })
        check(status in (201, 409, 422), f"award on item {position}: {status} {answer}")
        return status

    positions = range(1, award_items + 1)
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(propose, positions))
    accepted = statuses.count(201)
    committed = int(psql(
        "SELECT COALESCE(SUM(amount), 0) FROM award WHERE collectivity_id = 2", port=5433
    ) or 0)
    check(accepted == 10, f"{accepted} awards of 100 EUR accepted on a line of 1 000 EUR")
    check(committed == 100_000, f"{committed} centimes promised on a line of 1 000 EUR")
    log(f"{award_items} awards competing through both servers for 1 000 EUR: 10 accepted, 1 000 EUR promised")


def acknowledged_writes_survive_the_primary(workdir, staff, writes_per_server):
    acknowledged, refused, in_doubt = [], [], []
    lock = threading.Lock()
    killed = threading.Event()
    after_failover = [0, 0]

    def writer(index):
        client = staff.on((SERVER1, SERVER2)[index])
        for i in range(writes_per_server):
            day = time.strftime("%Y-%m-%d", time.gmtime(1_900_000_000 + (index * writes_per_server + i) * 86_400))
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    status, answer = client.json("POST", "/api/seances", {"instance": "cp", "date": day})
                except (OSError, http.client.HTTPException):
                    status, answer = None, None
                if status == 201:
                    with lock:
                        acknowledged.append(answer["id"])
                        if killed.is_set():
                            after_failover[index] += 1
                    break
                if status == 422 and "tient déjà une séance" in json.dumps(answer, ensure_ascii=False):
                    # An attempt whose commit reached the replica while its answer was lost
                    # with the primary: written, never acknowledged (checked below).
                    with lock:
                        in_doubt.append(day)
                    break
                with lock:
                    refused.append(status)
                time.sleep(0.2)
            if i == writes_per_server // 3 and index == 0:
                killed.set()

    threads = [threading.Thread(target=writer, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    killed.wait(timeout=300)
    cluster("failover", workdir)
    for t in threads:
        t.join()
    check(len(acknowledged) + len(in_doubt) == 2 * writes_per_server,
          f"{len(acknowledged)} + {len(in_doubt)} in doubt of {2 * writes_per_server} writes went through within 90 s each; "
          f"answers while refused: {sorted(collections.Counter(map(str, refused)).items())}")
    check(all(n > 0 for n in after_failover), f"writes after the failover per server: {after_failover}")
    present = set(psql("SELECT id FROM sitting WHERE collectivity_id = 1", port=5434).split())
    missing = [i for i in acknowledged if str(i) not in present]
    check(not missing, f"acknowledged writes lost: {missing}")
    for day in in_doubt:
        found = psql(f"SELECT count(*) FROM sitting WHERE collectivity_id = 1 AND date = '{day}'", port=5434)
        check(found == "1", f"the write in doubt of {day} is there {found} times")
    log(f"primary killed during the writes: {len(acknowledged)} acknowledged, all {len(acknowledged)} in the "
        f"promoted replica ({after_failover[0]} + {after_failover[1]} after the failover, {len(refused)} refused "
        f"and retried while it happened, {len(in_doubt)} written but unacknowledged, found once each)")
    report = json.loads(acta(workdir, "journal", "verify", "--json"))
    check(report["intact"], f"journal after the failover: {report}")
    status, source, lag, raw = read_on_the_reader("/api/archives/2023-990")
    check(status == 200 and source == "replica" and lag <= MAX_READ_LAG_MS,
          f"the reader on the promoted replica: {status} {source} {lag}")
    log("the reader goes on reading the promoted replica")


def main():
    check(os.geteuid() == 0, "run as root (pg_createcluster)")
    check(os.path.exists(ACTA), f"no acta binary at {ACTA} (set ACTA)")
    workdir = tempfile.mkdtemp(prefix="acta-cluster-")
    items, award_items = 1000, 20
    try:
        cluster("up", workdir)
        acta(workdir, "demo")
        acta(workdir, "account", "add", "agent", "--name", "Agent de la grappe", "--role", "administrateur")
        dataset = os.path.join(workdir, "grappe.toml")
        with open(dataset, "w") as f:
            f.write(second_collectivity_dataset(items, award_items))
        acta(workdir, "load", dataset, collectivity=2)
        acta(workdir, "account", "add", "agent", "--name", "Agent de Grappe", "--role", "administrateur",
             collectivity=2)
        acta(workdir, "collectivity", "host", SECOND_HOST, collectivity=2)
        sitting = json.loads(acta(workdir, "show", "sitting", "2026-06-15", "--json", collectivity=2))
        # The servers learn host names at start: restarted as an operator would.
        cluster("restart", workdir)
        staff = Client.log_in(SERVER1, "agent")
        second = Client.log_in(SERVER1, "agent", host=SECOND_HOST)
        a_write_on_one_server_is_read_on_the_other(staff)
        reads_on_the_replica_are_bounded(workdir)
        numbering_is_race_free_over_two_servers(second, sitting["id"], items)
        credits_are_race_free_over_two_servers(second, items + 1, award_items)
        acknowledged_writes_survive_the_primary(workdir, staff, writes_per_server=60)
        log("passed")
        return 0
    except Failure as failure:
        log(f"FAILED: {failure}")
        for name in sorted(os.listdir(workdir)):
            if name.endswith(".log"):
                with open(os.path.join(workdir, name)) as f:
                    print(f"--- {name} (end)\n{f.read()[-3000:]}")
        return 1
    finally:
        cluster("down", workdir)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
