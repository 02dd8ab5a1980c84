"""Staff dashboard: accounts, server-side sessions, login failures, notes, answered_by.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 22:29:32.902669
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_login_failures")),
    )
    with op.batch_alter_table("staff_login_failures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_staff_login_failures_username_at", ["username", "at"], unique=False
        )

    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "staff", "admin", name="role", native_enum=False, create_constraint=True, length=40
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
    )
    op.create_table(
        "referral_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_referral_notes_referral_id_referrals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_notes")),
    )
    with op.batch_alter_table("referral_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_notes_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("fk_staff_sessions_user_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sessions_token_hash")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_sessions_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staff_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answered_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.drop_column("answered_by")

    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_staff_sessions_expires_at"))

    op.drop_table("staff_sessions")
    with op.batch_alter_table("referral_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_notes_referral_id"))

    op.drop_table("referral_notes")
    op.drop_table("staff_users")
    with op.batch_alter_table("staff_login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_login_failures_username_at")

    op.drop_table("staff_login_failures")
