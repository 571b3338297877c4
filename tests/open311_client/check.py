"""Drives Gongzhi's Open311 endpoint with a stock GeoReport v2 client, unchanged: `georeport` from PyPI
(pinned in requirements.txt). It reads the services, one service's definition, the requests and one
request, in JSON and in XML, and prints what it read as one JSON line for the Rust test to check.

The library sends no api_key on reads; the key reaches the server as HTTP Basic credentials from a netrc
file (the NETRC variable), which `requests` applies to every call on its own — ordinary client
configuration, no change to the library.

Usage: check.py <root address, e.g. http://127.0.0.1:PORT/open311/v2> <jurisdiction> <service_request_id>
"""

import json
import sys

from georeport import GeoReport


def main() -> None:
    root, jurisdiction, request_id = sys.argv[1:4]
    seen = {}
    for output_format in ("json", "xml"):
        client = GeoReport(root, jurisdiction=jurisdiction, output_format=output_format)
        services = client.get_service_list()
        if isinstance(services, dict):  # xmltodict gives a lone element as a dict, a list for several
            services = [services]
        definition = client.get_service_definition("repairs")
        requests = client.get_service_requests(service_code="repairs", status="open")
        if isinstance(requests, dict):
            requests = [requests]
        one = client.get_service_request(request_id)
        seen[output_format] = {
            "service_codes": sorted(s["service_code"] for s in services),
            "definition_code": definition["service_code"],
            "request_ids": [r["service_request_id"] for r in requests],
            "one": {k: one[k] for k in ("service_request_id", "status", "service_code", "address", "agency_responsible")},
        }
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main()
