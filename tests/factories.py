import factory
from django.contrib.auth.models import Group

from accounts.models import Department, User
from accounts.roles import ROLE_BY_CODE


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("demo1234")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            names = [ROLE_BY_CODE[code].group_name for code in extracted]
            self.groups.set(Group.objects.filter(name__in=names))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Customer"

    name = factory.Sequence(lambda n: f"客户{n}有限公司")
    contact = "王经理"
    phone = "0571-88000000"
    type = "regular"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.Product"

    model_code = factory.Sequence(lambda n: f"GB-D{1000 + n}")
    name = "盘式刹车片钢背"
    kind = "backplate"
    spec = "料厚6.0"
    unit = "片"
    unit_price = factory.LazyFunction(lambda: __import__("decimal").Decimal("3.80"))
