//! Shared helpers for the integration tests: spawn the app, create databases, fake outside services.
