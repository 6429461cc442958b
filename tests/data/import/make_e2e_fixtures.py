"""Builds the fixtures of tests/e2e/import.spec.mjs. Run: python3 make_e2e_fixtures.py
(needs openpyxl: `pip install openpyxl`). The output is deterministic.

- customers-gbk.csv: customers as Chinese Excel saves "CSV" (GBK, CRLF), with a header the
  wizard cannot guess (负责销售 = account manager, mapped by hand in the test), one row that
  updates a demo customer (code KH00001), four new ones (one with a full-width code), one
  row with two bad cells (credit rating Z, 30 February) and a blank row.
- orders.xlsx: order lines on the second sheet (the first holds a note), dates as date
  cells, text and an Excel serial number, amounts with 万, ¥ and thousands separators; one
  line for a customer that does not exist and one with two bad cells.
"""
import datetime
import openpyxl

customers = [
    ["客户编号", "客户名称", "所属行业", "省份", "城市", "负责销售", "信用等级", "建立关系日期"],
    ["KH00001", "华东测试更新有限公司", "化工", "上海", "上海", "张伟", "A", "2020-01-15"],
    ["NEW001", "杭州西湖阀门有限公司", "机械", "浙江", "杭州", "李娜", "AA", "2023年3月5日"],
    ["NEW002", "成都天府燃气设备厂", "能源", "四川", "成都", "王强", "B", "2023/6/1"],
    ["NEW003", "西安秦川化工有限公司", "化工", "陕西", "西安", "赵敏", "Z", "2024-02-30"],
    ["NEW004", "南京金陵科技", "电子", "江苏", "南京", "陈静", "A", "05.03.2024"],
    ["", "", "", "", "", "", "", ""],
    ["ＮＥＷ００５", "　广州珠江贸易有限公司　", "贸易", "广东", "广州", "刘洋", "BBB", "2022-12-01"],
]


def cell(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v


text = "".join(",".join(cell(v) for v in row) + "\r\n" for row in customers)
with open("customers-gbk.csv", "wb") as f:
    f.write(text.encode("gbk"))

wb = openpyxl.Workbook()
note = wb.active
note.title = "说明"
note["A1"] = "交易明细见工作表“订单明细”。"
ws = wb.create_sheet("订单明细")
ws.append(["客户编号", "客户名称", "下单日期", "金额（元）", "毛利", "产品名称", "数量"])
ws.append(["NEW001", "杭州西湖阀门有限公司", datetime.date(2024, 3, 5), 12500.5, 2300, "阀门", 10])
ws.append(["NEW002", "", "2024/4/1", "1.2万", None, "燃气表", 5])
ws.append(["", "南京金陵科技", 45400, "¥3,500", 400, "管件", None])
ws.append(["NEW404", "未知新客户", datetime.date(2024, 5, 1), 800, None, "阀门", 1])
ws.append(["NEW002", "", "not a date", "abc", None, "燃气表", 1])
ws["C2"].number_format = "yyyy-mm-dd"
ws["C5"].number_format = "yyyy-mm-dd"
wb.properties.created = datetime.datetime(2024, 1, 1)
wb.properties.modified = datetime.datetime(2024, 1, 1)
wb.save("orders.xlsx")
