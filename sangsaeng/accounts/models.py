"""Accounts: the user (email sign-in), Korean shipping addresses, personal access tokens."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel

phone_validator = RegexValidator(r"^0\d{1,2}-?\d{3,4}-?\d{4}$", _("전화번호 형식이 올바르지 않습니다."))
postcode_validator = RegexValidator(r"^\d{5}$", _("우편번호는 5자리 숫자입니다."))


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("이메일"), unique=True)
    display_name = models.CharField(_("이름"), max_length=60, blank=True)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True, validators=[phone_validator])
    birthdate = models.DateField(_("생년월일"), null=True, blank=True)
    gender = models.CharField(_("성별"), max_length=6, blank=True, choices=[("female", _("여성")), ("male", _("남성"))])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[misc]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class Address(BaseModel):
    """A Korean shipping address, shaped like Kakao Sync's shipping-address API."""

    class Type(models.TextChoices):
        NEW = "NEW", _("도로명")
        OLD = "OLD", _("지번")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(_("배송지 이름"), max_length=30)
    type = models.CharField(_("주소 유형"), max_length=3, choices=Type.choices, default=Type.NEW)
    base_address = models.CharField(_("기본 주소"), max_length=200)
    detail_address = models.CharField(_("상세 주소"), max_length=200, blank=True)
    zone_number = models.CharField(_("우편번호"), max_length=5, validators=[postcode_validator])
    receiver_name = models.CharField(_("받는 분"), max_length=30)
    receiver_phone_number1 = models.CharField(_("연락처 1"), max_length=20, validators=[phone_validator])
    receiver_phone_number2 = models.CharField(_("연락처 2"), max_length=20, blank=True, validators=[phone_validator])
    is_default = models.BooleanField(_("기본 배송지"), default=False)

    class Meta:
        ordering = ["-is_default", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="address_one_default_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.base_address}"


class PersonalAccessToken(BaseModel):
    """A bearer token for the API. Only a SHA-256 of the secret is stored; it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    label = models.CharField(max_length=60)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
