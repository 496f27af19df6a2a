-- Frontier's service user tables as its first migration creates them (columns and types from
-- ../shared/reference/frontier-behaviour.md; written here, not copied). schema-v0.9.1.sql adds the type column.
CREATE TABLE serviceusers (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id     uuid,
    title      text,
    metadata   jsonb,
    state      text DEFAULT 'enabled',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE TABLE serviceuser_credentials (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    serviceuser_id uuid NOT NULL REFERENCES serviceusers (id),
    title          text,
    secret_hash    text,
    public_key     jsonb,
    metadata       jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at     timestamptz
);
