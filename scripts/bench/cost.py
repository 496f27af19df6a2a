"""What a million tokens cost, from what `make bench` measured and the public prices in prices.json (one place).

Per token: one Lambda request and its billed duration (the mean warm duration rounded up to 1 ms per request, at the
template's MemorySize), one HTTP API request, the AWS calls a warm request makes (counted on the wire: each DynamoDB
read one read request unit and each write one write request unit, as the items are under 4 KB and 1 KB; each KMS
call at the key spec's price), and the bytes the function logs (CloudWatch Logs ingestion). Cold starts, the key
refresh (two calls a minute per container) and the KMS key's $1 a month are per container or per month, not per
token, and left out. Stdlib only.
"""
import json
from pathlib import Path

PRICES = Path(__file__).resolve().parent / "prices.json"
MILLION = 1_000_000
DYNAMODB_READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}
DYNAMODB_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
COMPONENTS = ["Lambda requests", "Lambda duration", "HTTP API", "DynamoDB reads", "DynamoDB writes", "KMS",
              "CloudWatch Logs", "total"]


def load_prices(path=PRICES):
    return json.loads(Path(path).read_text())


def token_cost(prices, memory_mb, key_spec, billed_ms, log_bytes, calls):
    """USD per million tokens, by component, for one request's billed ms, logged bytes and AWS calls."""
    reads = sum(n for call, n in calls.items() if call.startswith("DynamoDB ") and call.split()[1] in DYNAMODB_READS)
    writes = sum(n for call, n in calls.items() if call.startswith("DynamoDB ") and call.split()[1] in DYNAMODB_WRITES)
    kms = sum(n for call, n in calls.items() if call.startswith("KMS "))
    cost = {
        "Lambda requests": prices["lambda_request"]["usd"],
        "Lambda duration": billed_ms / 1000 * memory_mb / 1024 * prices["lambda_arm64_gb_second"]["usd"],
        "HTTP API": prices["http_api_request"]["usd"],
        "DynamoDB reads": reads * prices["dynamodb_read_request_unit"]["usd"],
        "DynamoDB writes": writes * prices["dynamodb_write_request_unit"]["usd"],
        "KMS": kms * prices["kms_request"]["by_key_spec"][key_spec],
        "CloudWatch Logs": log_bytes / 2 ** 30 * prices["cloudwatch_logs_ingested_gb"]["usd"],
    }
    cost = {k: v * MILLION for k, v in cost.items()}
    cost["total"] = sum(cost.values())
    return cost


def per_million_tokens(report, prices=None):
    """The cost of each variant and grant the report measured, and Cognito M2M's for the same million tokens."""
    prices = prices or load_prices()
    memory, key_spec = report["function"]["memory_mb"], report["function"]["key_spec"]
    columns = {}
    for name in ("function", "floor"):
        variant = report["variants"].get(name)
        if not variant or not variant.get("calls"):
            continue
        for grant, counted in variant["calls"].items():
            columns[f"{name} {grant}"] = token_cost(prices, memory, key_spec,
                                                    variant["billed_ms_per_warm"]["median"],
                                                    variant["log_bytes_per_warm"]["median"], counted["warm"][-1])
    return {"usd_per_million_tokens": columns,
            "cognito_m2m_usd_per_million_tokens": prices["cognito_m2m_token_request"]["usd"] * MILLION,
            "memory_mb": memory, "key_spec": key_spec, "region": prices["region"],
            "prices": str(PRICES.relative_to(PRICES.parents[2]))}


def table(cost):
    columns = cost["usd_per_million_tokens"]
    names = list(columns)
    lines = [f"\nCost per million tokens, USD ({cost['region']} list prices from {cost['prices']}; "
             f"{cost['memory_mb']} MB arm64, {cost['key_spec']} key; warm requests; the Lambda duration is the "
             f"measured client_credentials one for every column):",
             f"{'':18}" + "".join(f"{n:>30}" for n in names)]
    for component in COMPONENTS:
        lines.append(f"{component:18}" + "".join(f"{columns[n][component]:>30.4f}" for n in names))
    cognito = cost["cognito_m2m_usd_per_million_tokens"]
    lines.append(f"Amazon Cognito M2M: {cognito:,.2f} USD per million token requests (first tier, plus $6 per app "
                 f"client a month): " + ", ".join(f"{n} {cognito / columns[n]['total']:,.0f}x" for n in names
                                                   if n.startswith("function")))
    return "\n".join(lines)
