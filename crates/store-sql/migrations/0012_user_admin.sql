-- Managing users after they are created (issue 23): API tokens may expire and may be
-- revoked. Portable SQL, as 0001. Instants are RFC 3339 text written by the application
-- from its clock (the database never supplies its own); NULL: never expires, not revoked.
-- A user's deactivation uses the existing `users.active`.

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
