"""The printed 报价单 (issue 17, paper): the total in Chinese capitals (金额大写), a
box for the company's seal and one for the customer's confirmation, and the
company's own details — name, address, telephone, taxpayer ID, bank and account —
as the administrator keeps them once (accounts.CompanyProfile)."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.demo import seed_company
from accounts.models import CompanyProfile
from orders.money import rmb_in_words
from tests.walk import walk


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("3800", "人民币叁仟捌佰元整"),
        ("3800.00", "人民币叁仟捌佰元整"),
        ("10203.40", "人民币壹万零贰佰零叁元肆角整"),
        ("1001.01", "人民币壹仟零壹元零壹分"),
        ("100.03", "人民币壹佰元零叁分"),
        ("100010", "人民币壹拾万零壹拾元整"),
        ("105000", "人民币壹拾万伍仟元整"),
        ("15", "人民币壹拾伍元整"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
        ("120000000.10", "人民币壹亿贰仟万元壹角整"),
        (
            "999999999999.99",
            "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        # rounded half up to the fen first, as every amount is
        ("0.125", "人民币壹角叁分"),
    ],
)
def test_an_amount_in_chinese_capitals(amount, words):
    assert rmb_in_words(Decimal(amount)) == words


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def printed_quote(user, order) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/orders/{order.number}/quotes/1/print/").content.decode()


@pytest.mark.django_db
def test_the_printed_quote_has_the_total_in_words_the_seals_and_the_company(users):
    # given the company's details as the demo enters them, and an approved quote
    company = seed_company()
    order = walk(users, "quote_approved")

    # when the salesperson prints the quote
    body = printed_quote(users["sales1"], order)

    # then the total is written in Chinese capitals under the figures
    assert "¥3,800.00" in body
    words = body.split('data-test="quote-total-words">')[1].split("</td>")[0]
    assert words == "人民币叁仟捌佰元整"
    # and there is a box for the company's seal and one for the customer's
    seals = body.split('data-test="quote-seals"')[1].split("</table>")[0]
    assert "供方（盖章）" in seals and "需方确认（签字盖章）" in seals
    assert company.name in seals and order.customer.name in seals
    # and the company's details head the form and fill the seller's block
    assert company.name in body.split('data-test="paper-company">')[1]
    seller = body.split('data-test="seller-tax">')[1].split("</td>")[0]
    assert company.tax_id in seller
    assert "中国工商银行杭州萧山支行 1202 0000 0000 0000 000" in seller


@pytest.mark.django_db
def test_the_company_details_the_administrator_changes_are_printed(users):
    seed_company()
    order = walk(users, "quote_approved")
    admin = Client()
    admin.force_login(users["admin"])

    # when the administrator changes the company's name and bank in the admin
    data = {
        "name": "杭州示例精密机械有限公司",
        "address": "杭州市萧山区示例路 99 号",
        "phone": "0571-82999999",
        "fax": "",
        "tax_id": "91330109MA2EXAMPL8",
        "bank_name": "中国银行萧山支行",
        "bank_account": "3568 0000 0000 1234",
    }
    response = admin.post("/admin/accounts/companyprofile/1/change/", data)
    assert response.status_code == 302

    # then the next printed quote reads them
    body = printed_quote(users["sales1"], order)
    assert "杭州示例精密机械有限公司" in body and "0571-82999999" in body
    assert "中国银行萧山支行 3568 0000 0000 1234" in body
    assert "示例机械制造有限公司" not in body


@pytest.mark.django_db
def test_the_company_details_are_kept_once_by_the_system_administrator(
    users, make_user
):
    seed_company()
    admin = Client()
    # the system administrator's role, not the superuser flag, keeps them
    admin.force_login(make_user("system_admin", is_staff=True))
    assert admin.get("/admin/accounts/companyprofile/1/change/").status_code == 200
    # one row: no second one, never deleted
    assert admin.get("/admin/accounts/companyprofile/add/").status_code == 403
    assert admin.get("/admin/accounts/companyprofile/1/delete/").status_code == 403
    # a taxpayer ID that is not one is refused in Chinese, nothing saved
    response = admin.post(
        "/admin/accounts/companyprofile/1/change/",
        {"name": "X", "tax_id": "9133-abc", "bank_account": "12ab"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "纳税人识别号为 15 至 20 位数字和大写字母" in body
    assert "银行账号只能由数字组成" in body
    assert CompanyProfile.current().name == "示例机械制造有限公司"
    # nobody else keeps them
    for name in ("sales1", "gm", "planner", "finance"):
        client = Client()
        client.force_login(users[name])
        response = client.get("/admin/accounts/companyprofile/1/change/")
        assert response.status_code in (302, 403), name


@pytest.mark.django_db
def test_the_administrator_is_told_while_the_company_is_not_entered(users):
    admin = Client()
    admin.force_login(users["admin"])
    body = admin.get("/").content.decode()
    assert 'data-test="company-missing"' in body
    assert "/admin/accounts/companyprofile/add/" in body
    seed_company()
    assert 'data-test="company-missing"' not in admin.get("/").content.decode()
    # nobody else is told
    sales = Client()
    CompanyProfile.objects.all().delete()
    sales.force_login(users["sales1"])
    assert 'data-test="company-missing"' not in sales.get("/").content.decode()
