"""Builds the checked-in import fixtures. Run: python3 make_fixtures.py (needs openpyxl)."""
import datetime
import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "交易"
ws.append(["客户编号", "日期", "金额", "产品"])
ws.append(["C001", datetime.date(2024, 3, 5), 1234.5, "阀门"])
ws.append(["C002", "2024/3/6", "12.5万", "泵"])
ws.append(["C404", "not a date", "abc", "管道"])
ws["B2"].number_format = "yyyy-mm-dd"
wb.properties.created = datetime.datetime(2024, 1, 1)
wb.properties.modified = datetime.datetime(2024, 1, 1)
wb.save("orders-openpyxl.xlsx")

text = "客户编号,客户名称,日期,金额,产品\r\nC001,上海华东化工有限公司,2024-03-05,\"1,234.50\",阀门\r\n,北京燕山石化,2024年3月6日,12.5万,泵\r\nC001,上海华东化工有限公司,2024-02-30,100,管道\r\nC009,未知客户,2024/3/7,(300),阀门\r\nC002,广州南方,05.03.2024,abc,泵\r\n"
with open("orders-gbk.csv", "wb") as f:
    f.write(text.encode("gbk"))
