-- Frontier v0.9.1 adds the credential's type: client_credential, jwt_bearer or opaque_token; older rows keep NULL.
ALTER TABLE serviceuser_credentials ADD COLUMN type text;
