"""Writes backup-v1.json, the format-version-1 fixture of the backup tests.

The checksum is computed here with Python's json and hashlib, independently of the Rust
code, so the fixture also checks that the documented checksum definition is reproducible
by another tool. Run from this folder: python3 make-backup-v1.py
"""
import json, hashlib
data = {
  "settings": {"language": "en", "pages": {"abc": {"metric": "revenue"}}},
  "customers": [
    {"id": "C000001", "code": "KH00001", "name": "苏州恒瑞精密机械有限公司", "kind": "end_customer",
     "industry": "机械制造", "region": "east", "province": "江苏省", "city": "苏州市", "owner": "张伟",
     "tags": "重点客户, 出口型,价格敏感", "created_at": "2023-03-01T01:00:00Z", "updated_at": "2024-06-01T01:00:00Z"},
    {"id": "C000002", "code": "KH00002", "name": "杭州华兴化工有限公司", "kind": "dealer", "industry": "化工",
     "region": "east", "province": "浙江省", "city": "杭州市", "owner": "陈静", "tags": "",
     "created_at": "2023-04-01T01:00:00Z", "updated_at": "2023-04-01T01:00:00Z"}
  ],
  "orders": [
    {"id": "O000001", "customer_id": "C000001", "order_no": "SO0000001", "date": "2024-05-06", "amount_fen": 1234550,
     "profit": 2000.5, "product": "轴承", "category": "机电配件", "quantity": 85, "channel": "直销",
     "created_at": "2024-05-06T02:00:00Z", "updated_at": "2024-05-06T02:00:00Z"},
    {"id": "O000002", "customer_id": "C000001", "order_no": "SO0000001", "date": "2024-05-06", "amount_fen": 99,
     "created_at": "2024-05-06T02:00:00Z", "updated_at": "2024-05-06T02:00:00Z"},
    {"id": "O000003", "customer_id": "C000002", "date": "2024-07-01", "amount_fen": -50000,
     "created_at": "2024-07-01T02:00:00Z", "updated_at": "2024-07-01T02:00:00Z"}
  ]
}
canon = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
doc = {
  "format": "clientscope-backup",
  "format_version": 1,
  "app_version": "0.0.9",
  "exported_at": "2025-01-15T10:00:00Z",
  "counts": {"customers": 2, "contacts": 0, "orders": 3, "interactions": 0, "complaints": 0, "surveys": 0, "responses": 0},
  "checksum": "sha256:" + hashlib.sha256(canon.encode("utf-8")).hexdigest(),
  "data": data,
}
open("backup-v1.json", "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
print(doc["checksum"])
