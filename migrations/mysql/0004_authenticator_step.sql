-- The time step (Unix seconds / 30) of the last authenticator code accepted for the account: a code is accepted once.
ALTER TABLE users ADD COLUMN authenticator_step BIGINT NULL;
