"""Initial schema: referrals with status history, anonymous questions, audit events.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-30 21:34:04.508862
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anonymous_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pickup_code_hash", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "nieuw",
                "beantwoord",
                "verlopen",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_questions")),
        sa.UniqueConstraint(
            "pickup_code_hash", name=op.f("uq_anonymous_questions_pickup_code_hash")
        ),
    )
    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_anonymous_questions_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "nieuw",
                "in behandeling",
                "uitgenodigd voor onderzoeksfase",
                "afgerond",
                "doorverwezen",
                "ingetrokken",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("consent_version", sa.String(length=20), nullable=False),
        sa.Column("assignee", sa.String(length=100), nullable=True),
        sa.Column("withdrawal_key", sa.String(length=128), nullable=True),
        sa.Column("child_first_name", sa.Text(), nullable=True),
        sa.Column("child_age", sa.Text(), nullable=True),
        sa.Column("child_class", sa.Text(), nullable=True),
        sa.Column("absence_duration", sa.Text(), nullable=True),
        sa.Column("absence_extent", sa.Text(), nullable=True),
        sa.Column("signs", sa.Text(), nullable=True),
        sa.Column("check_signals", sa.Text(), nullable=True),
        sa.Column("both_parents_know", sa.Text(), nullable=True),
        sa.Column("parent_name", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("contact_preference", sa.Text(), nullable=True),
        sa.Column("contact_time", sa.Text(), nullable=True),
        sa.Column("phone_index", sa.String(length=64), nullable=True),
        sa.Column("email_index", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_referrals_idempotency_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_referrals_reference")),
        sa.UniqueConstraint("withdrawal_key", name=op.f("uq_referrals_withdrawal_key")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_email_index"), ["email_index"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_phone_index"), ["phone_index"], unique=False)
        batch_op.create_index(
            "ix_referrals_status_created_at", ["status", "created_at"], unique=False
        )

    op.create_table(
        "referral_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "nieuw",
                "in behandeling",
                "uitgenodigd voor onderzoeksfase",
                "afgerond",
                "doorverwezen",
                "ingetrokken",
                name="from_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "nieuw",
                "in behandeling",
                "uitgenodigd voor onderzoeksfase",
                "afgerond",
                "doorverwezen",
                "ingetrokken",
                name="to_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_status_changes_referral_id_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_status_changes")),
    )
    with op.batch_alter_table("referral_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_status_changes_referral_id"), ["referral_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("referral_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_status_changes_referral_id"))

    op.drop_table("referral_status_changes")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_status_created_at")
        batch_op.drop_index(batch_op.f("ix_referrals_phone_index"))
        batch_op.drop_index(batch_op.f("ix_referrals_email_index"))

    op.drop_table("referrals")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
    with op.batch_alter_table("anonymous_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anonymous_questions_expires_at"))

    op.drop_table("anonymous_questions")
