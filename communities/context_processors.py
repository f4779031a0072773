from .scoping import get_scope


def official_scope(request):
    """The signed-in official's scope, for the header and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": get_scope(user)}
