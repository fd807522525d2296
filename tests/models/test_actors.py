"""Registering the people who act: a role belongs to one level of region."""

from __future__ import annotations

import pytest

from models.core.actors import Role, actor_named, add_actor
from models.core.errors import InvalidInput, NotFound


def test_a_person_is_registered_in_a_region_of_their_roles_level(world):
    actor = add_actor(world.session, name="新组长", role=Role.GROUP_LEADER, region_code=world.villages[0])
    assert actor.covers(world.villages[0]) and not actor.covers(world.villages[1])
    assert actor_named(world.session, "新组长").id == actor.id


@pytest.mark.parametrize(("role", "where"), [(Role.TOWNSHIP_CHECK_TEAM, "village"), (Role.GROUP_LEADER, "township")])
def test_a_role_in_a_region_of_another_level_is_refused(world, role, where):
    code = world.villages[0] if where == "village" else world.township
    with pytest.raises(InvalidInput, match="区划"):
        add_actor(world.session, name="某人", role=role, region_code=code)


def test_an_unknown_region_is_refused(world):
    with pytest.raises(InvalidInput, match="430121999999"):
        add_actor(world.session, name="某人", role=Role.GROUP_LEADER, region_code="430121999999")


def test_an_unknown_name_is_not_found(world):
    with pytest.raises(NotFound, match="无名氏"):
        actor_named(world.session, "无名氏")
