"""The platform-wide authorization matrix: every route, on every interface, is either an object
route that another user must not reach (a 404, nothing changed) or an exemption with its reason."""
