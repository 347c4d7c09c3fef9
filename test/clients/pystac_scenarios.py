"""pystac-client 0.9.0 (unmodified, ../shared/clients/python) against the local stack: counts and
Collection Search filters. Prints one JSON line."""
import json
import sys
import warnings

from pystac_client import Client

api, scenario = sys.argv[1], sys.argv[2]
warnings.simplefilter("error")  # a "numberMatched not in response" warning fails the scenario
client = Client.open(api)
out = {}
if scenario == "matched":
    out["all"] = client.search(max_items=None).matched()
    out["post_l2a"] = client.search(collections=["sentinel-2-l2a"], method="POST").matched()
    out["get_day"] = client.search(datetime="2024-05-14", method="GET").matched()
    out["day_ids"] = sorted(i.id for i in client.search(datetime="2024-05-14").items())
    out["all_ids"] = sorted(i.id for i in client.search(limit=2).items())
elif scenario == "collection_filter":
    out["text"] = sorted(
        c.id for c in client.collection_search(filter="id LIKE 'sentinel-2%'").collections()
    )
    out["json"] = sorted(
        c.id
        for c in client.collection_search(
            filter={"op": "=", "args": [{"property": "license"}, "other"]}, filter_lang="cql2-json"
        ).collections()
    )
    out["all"] = sorted(c.id for c in client.get_collections())
print(json.dumps(out))
