"""Create or update demo users in bulk; every demo user has settings.DEMO_PASSWORD."""

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.models import Group

from accounts.models import User

USER_FIELDS = ("display_name", "phone", "email", "is_staff", "is_superuser")


def ensure_users(specs):
    """specs: dicts with username, display_name, roles and optionally phone, is_staff, is_superuser.

    Returns {username: User}. Existing users keep everything not named in their spec.
    """
    specs = [{"phone": "", "is_staff": False, "is_superuser": False, "roles": (), **s} for s in specs]
    for spec in specs:
        spec.setdefault("email", f"{spec['username']}@demo.hushangtong.local")
    users = {u.username: u for u in User.objects.filter(username__in=[s["username"] for s in specs])}
    password, good = _password_hashes(users.values())
    new = [
        User(password=password, **{k: s[k] for k in ("username", *USER_FIELDS)})
        for s in specs
        if s["username"] not in users
    ]
    User.objects.bulk_create(new)
    users.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in new])})
    _update_changed(users, specs, password, good)
    _grant_roles(users, specs)
    return users


def _password_hashes(existing):
    """(hash for new users, stored hashes that match DEMO_PASSWORD).

    Hashing is slow on purpose, so each distinct stored hash is checked once, not each user.
    With DEBUG off (seed_demo --locked) every demo account gets an unusable password instead.
    """
    if not settings.DEBUG:
        return make_password(None), {u.password for u in existing if not is_password_usable(u.password)}
    good = {h for h in {u.password for u in existing} if check_password(settings.DEMO_PASSWORD, h)}
    return (min(good) if good else make_password(settings.DEMO_PASSWORD)), good


def _update_changed(users, specs, password, good):
    changed = []
    for spec in specs:
        user = users[spec["username"]]
        stale = [k for k in USER_FIELDS if getattr(user, k) != spec[k]]
        for name in stale:
            setattr(user, name, spec[name])
        if user.password != password and user.password not in good:
            user.password = password
            stale.append("password")
        if stale:
            changed.append(user)
    if changed:
        User.objects.bulk_update(changed, [*USER_FIELDS, "password"])


def _grant_roles(users, specs):
    groups = {g.name: g for g in Group.objects.filter(name__in={r for s in specs for r in s["roles"]})}
    through = User.groups.through
    have = set(through.objects.filter(user__in=users.values()).values_list("user_id", "group_id"))
    wanted = {(users[s["username"]].pk, groups[r].pk) for s in specs for r in s["roles"]}
    through.objects.bulk_create([through(user_id=u, group_id=g) for u, g in sorted(wanted - have)])
