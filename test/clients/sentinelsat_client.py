"""Runs sentinelsat 1.1.1 against a hub and prints what it got as JSON (one scenario per call).

Usage: sentinelsat_client.py <api_url> <user> <password> <scenario> <json-args>
"""
import json
import sys
import tempfile
from pathlib import Path

from sentinelsat import SentinelAPI
from sentinelsat.exceptions import SentinelAPIError, UnauthorizedError
from sentinelsat.products import make_path_filter


def jsonable(v):
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def main():
    url, user, password, scenario, raw = sys.argv[1:6]
    args = json.loads(raw)
    api = SentinelAPI(user, password, url, show_progressbars=False)
    out = {}
    try:
        if scenario == "query":
            products = api.query(**args)
            out["ids"] = list(products.keys())
            out["identifiers"] = [p["identifier"] for p in products.values()]
            out["first"] = jsonable(next(iter(products.values()), None))
            out["geojson_count"] = len(api.to_geojson(products)["features"])
            out["size_gb"] = api.get_products_size(products)
        elif scenario == "count":
            out["count"] = api.count(**args)
        elif scenario == "odata":
            out["short"] = jsonable(api.get_product_odata(args["id"]))
            out["full"] = jsonable(api.get_product_odata(args["id"], full=True))
            out["online"] = api.is_online(args["id"])
            out["version"] = api.dhus_version
        elif scenario == "download":
            d = Path(tempfile.mkdtemp())
            info = api.download(args["id"], str(d))
            out["path"] = info["path"]
            out["size"] = Path(info["path"]).stat().st_size
            out["md5"] = info["md5"]
            out["check_files"] = jsonable(api.check_files(ids=[args["id"]], directory=str(d)))
            Path(info["path"]).write_bytes(b"corrupt")
            out["check_files_corrupt"] = list(api.check_files(ids=[args["id"]], directory=str(d)).keys())
        elif scenario == "nodes":
            d = Path(tempfile.mkdtemp())
            nodefilter = lambda n: n["node_path"].endswith("manifest.safe") or make_path_filter(args["pattern"])(n)
            downloaded, triggered, failed = api.download_all([args["id"]], str(d), nodefilter=nodefilter)
            out["downloaded"] = list(downloaded.keys())
            out["failed"] = {k: str(v.get("exception")) for k, v in failed.items()}
            out["files"] = sorted(str(p.relative_to(d)) for p in d.rglob("*") if p.is_file())
        elif scenario == "download_all":
            # One attempt each: a refusal (DHuS's "concurrent flows" 403) would be a failure, not a retry.
            statuses = []
            api.session.hooks["response"].append(lambda r, *a, **k: statuses.append(r.status_code))
            d = Path(tempfile.mkdtemp())
            downloaded, triggered, failed = api.download_all(args["ids"], str(d), max_attempts=1)
            out["downloaded"] = sorted(downloaded.keys())
            out["failed"] = {k: str(v.get("exception")) for k, v in failed.items()}
            out["statuses"] = sorted(set(statuses))
        elif scenario == "quicklook":
            d = Path(tempfile.mkdtemp())
            try:
                info = api.download_quicklook(args["id"], str(d))
                out["path"] = info["path"]
                out["error"] = info["error"]
                out["bytes"] = Path(info["path"]).read_bytes().hex() if Path(info["path"]).exists() else None
            except SentinelAPIError as e:
                out["raised"] = type(e).__name__
                out["message"] = e.msg
        elif scenario == "raw":
            r = api.session.get(url + args["path"], headers=args.get("headers", {}))
            out["status"] = r.status_code
    except UnauthorizedError as e:
        out["raised"] = "UnauthorizedError"
        out["message"] = e.msg
    except SentinelAPIError as e:
        out["raised"] = type(e).__name__
        out["message"] = e.msg
    print(json.dumps(out))


if __name__ == "__main__":
    main()
