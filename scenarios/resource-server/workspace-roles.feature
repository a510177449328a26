@rs
Feature: Resource server: workspace roles and isolation
  Multi-tenant platforms authorize by workspace role (viewer < editor < admin) after validating
  the token: each role can do exactly its operations (the profile declares the least role of each
  operation; by default viewers read, editors also write, admins also manage members). OAuth 2.1
  §5.2: the resource server MUST check that the token is authorized to access the requested
  resource and meets its other policy requirements. A user of one workspace never reads another's
  resources: 403 or 404, never data (OWASP API Security Top 10, API1:2023 Broken Object Level
  Authorization).

  @must
  Scenario Outline: Role <role> calling <op> is allowed exactly when the role permits it
    When <role> of alice's workspace calls <op>
    Then check "rs.roles.<role>.<op>" MUST (OAuth 2.1 §5.2; RFC 6749 §7; OWASP API5:2023): the operation is allowed exactly when the role permits it
      """
      After receiving the access token, the resource server MUST check that the access token is not
      yet expired, is authorized to access the requested resource, was issued with the appropriate
      scope, and meets other policy requirements of the resource server to access the protected
      resource.
      """
    And check "rs.roles.<role>.<op>.no-5xx" MUST (RFC 9068 §4; RFC 9110 §15.6): the response is not a server error
      """
      The resource server MUST handle errors as described in Section 3.1 of [RFC6750].
      """

    Examples:
      | role   | op             |
      | viewer | list_items     |
      | viewer | read_item      |
      | viewer | create_item    |
      | viewer | update_item    |
      | viewer | delete_item    |
      | viewer | list_members   |
      | viewer | manage_members |
      | editor | list_items     |
      | editor | read_item      |
      | editor | create_item    |
      | editor | update_item    |
      | editor | delete_item    |
      | editor | list_members   |
      | editor | manage_members |
      | admin  | list_items     |
      | admin  | read_item      |
      | admin  | create_item    |
      | admin  | update_item    |
      | admin  | delete_item    |
      | admin  | list_members   |
      | admin  | manage_members |

  @must
  Scenario Outline: bob, admin of his own workspace, cannot <op> in alice's
    Given a token for bob as admin of his workspace with every workspace scope
    When the client calls <op> in alice's workspace with the token
    Then check "rs.isolation.<op>" MUST (OAuth 2.1 §5.2; RFC 6749 §7; OWASP API1:2023): nothing of alice's workspace is revealed
      """
      After receiving the access token, the resource server MUST check that the access token is not
      yet expired, is authorized to access the requested resource, was issued with the appropriate
      scope, and meets other policy requirements of the resource server to access the protected
      resource.
      """

    Examples:
      | op          |
      | list_items  |
      | read_item   |
      | update_item |
      | delete_item |
