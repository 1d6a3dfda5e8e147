"""Groups through boto3: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup."""

import pytest


def make_user(client, pool, username):
    client.admin_create_user(
        UserPoolId=pool, Username=username, TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS"
    )


def test_create_and_get_group(client, pool):
    group = client.create_group(GroupName="admins", UserPoolId=pool, Description="Administrators", Precedence=1)[
        "Group"
    ]
    assert group["GroupName"] == "admins"
    assert group["UserPoolId"] == pool
    assert group["Description"] == "Administrators"
    assert group["Precedence"] == 1
    assert group["CreationDate"].year >= 2024
    got = client.get_group(GroupName="admins", UserPoolId=pool)["Group"]
    assert got["GroupName"] == "admins"
    assert got["Description"] == "Administrators"
    assert got["Precedence"] == 1


def test_create_group_twice_is_group_exists(client, pool):
    client.create_group(GroupName="admins", UserPoolId=pool)
    with pytest.raises(client.exceptions.GroupExistsException):
        client.create_group(GroupName="admins", UserPoolId=pool)


def test_get_unknown_group_is_resource_not_found(client, pool):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_group(GroupName="nope", UserPoolId=pool)


def test_update_group(client, pool):
    client.create_group(GroupName="staff", UserPoolId=pool, Description="before", Precedence=3)
    updated = client.update_group(GroupName="staff", UserPoolId=pool, Description="after", Precedence=7)["Group"]
    assert updated["Description"] == "after"
    assert updated["Precedence"] == 7
    got = client.get_group(GroupName="staff", UserPoolId=pool)["Group"]
    assert got["Description"] == "after"
    assert got["Precedence"] == 7
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_group(GroupName="nope", UserPoolId=pool, Description="x")


def test_list_groups_in_pages(client, pool):
    for name in ["g1", "g2", "g3"]:
        client.create_group(GroupName=name, UserPoolId=pool)
    seen, token = [], None
    while True:
        kwargs = {"UserPoolId": pool, "Limit": 2}
        if token:
            kwargs["NextToken"] = token
        resp = client.list_groups(**kwargs)
        assert len(resp["Groups"]) <= 2
        seen += [g["GroupName"] for g in resp["Groups"]]
        token = resp.get("NextToken")
        if not token:
            break
    assert sorted(seen) == ["g1", "g2", "g3"]


def test_delete_group(client, pool):
    client.create_group(GroupName="temp", UserPoolId=pool)
    client.delete_group(GroupName="temp", UserPoolId=pool)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_group(GroupName="temp", UserPoolId=pool)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_group(GroupName="temp", UserPoolId=pool)


def test_membership(client, pool):
    client.create_group(GroupName="admins", UserPoolId=pool, Precedence=1)
    client.create_group(GroupName="readers", UserPoolId=pool, Precedence=5)
    make_user(client, pool, "alice")
    make_user(client, pool, "bob")
    client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="admins")
    client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="readers")
    client.admin_add_user_to_group(UserPoolId=pool, Username="bob", GroupName="readers")
    # Adding a member again is not an error.
    client.admin_add_user_to_group(UserPoolId=pool, Username="bob", GroupName="readers")

    groups = client.admin_list_groups_for_user(UserPoolId=pool, Username="alice")["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["admins", "readers"]
    users = client.list_users_in_group(UserPoolId=pool, GroupName="readers")["Users"]
    assert sorted(u["Username"] for u in users) == ["alice", "bob"]
    assert all(u["UserStatus"] == "FORCE_CHANGE_PASSWORD" for u in users)

    client.admin_remove_user_from_group(UserPoolId=pool, Username="alice", GroupName="readers")
    users = client.list_users_in_group(UserPoolId=pool, GroupName="readers")["Users"]
    assert [u["Username"] for u in users] == ["bob"]
    groups = client.admin_list_groups_for_user(UserPoolId=pool, Username="alice")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]


def test_membership_errors(client, pool):
    client.create_group(GroupName="admins", UserPoolId=pool)
    make_user(client, pool, "alice")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_add_user_to_group(UserPoolId=pool, Username="nobody", GroupName="admins")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="nope")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_users_in_group(UserPoolId=pool, GroupName="nope")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.admin_list_groups_for_user(UserPoolId=pool, Username="nobody")


def test_deleting_a_group_removes_its_memberships(client, pool):
    client.create_group(GroupName="temp", UserPoolId=pool)
    make_user(client, pool, "alice")
    client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="temp")
    client.delete_group(GroupName="temp", UserPoolId=pool)
    assert client.admin_list_groups_for_user(UserPoolId=pool, Username="alice")["Groups"] == []
