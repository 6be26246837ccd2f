from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from eenloket.directory.models import Department, Organization, Person, Queue, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "departments"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Service desk"), {"fields": ("role", "departments")}),
    )
    filter_horizontal = ["departments", "groups", "user_permissions"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "email_domain", "is_active"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "code", "customer_name_nl"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organization", "email", "phone", "employee_number"]
    list_filter = ["organization"]
    search_fields = ["last_name", "first_name", "email", "employee_number", "phone"]
    list_select_related = ["organization"]
    raw_id_fields = ["user"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "line", "department", "is_default"]
