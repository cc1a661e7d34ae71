def enterprise_of(user):
    """The enterprise a user works for (their EnterpriseMember row), or None."""
    membership = getattr(user, "enterprise_membership", None) if user.is_authenticated else None
    return membership.enterprise if membership else None
