"""What the Waymark API answers with and accepts. Standards objects are addressed by their
CASE identifiers (UUIDs) and frameworks by their short names, never by database keys."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waymark.frameworks.models import (
    Association,
    AssociationType,
    Edition,
    Framework,
    MappingKind,
    Node,
)
from waymark.frameworks.services import mapping_kind, mappings_between
from waymark.organisations.models import Organisation, Role

# --- auth ---------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(label=_("Email address"))
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = authenticate(
            self.context.get("request"), email=attrs["email"], password=attrs["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("That email address and password do not match an account."),
                code="authorization",
            )
        if _uses_two_factor(user):
            raise serializers.ValidationError(
                _(
                    "This account signs in with two-factor authentication, so a password "
                    "alone cannot make a token. Sign in and create one on your API token page."
                ),
                code="mfa_required",
            )
        attrs["user"] = user
        return attrs


def _uses_two_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        source="key",
        read_only=True,
        allow_null=True,
        help_text=_("Send it as the header “Authorization: Token <token>”."),
    )
    created = serializers.DateTimeField(read_only=True, allow_null=True)


# --- standards ----------------------------------------------------------------------------


class EditionSummarySerializer(serializers.ModelSerializer[Edition]):
    class Meta:
        model = Edition
        fields = [
            "identifier",
            "title",
            "short_title",
            "version",
            "publication_date",
            "publisher",
            "kind",
            "assesses",
            "historical",
            "status",
            "is_current",
        ]
        read_only_fields = fields


class EditionSerializer(serializers.ModelSerializer[Edition]):
    framework: serializers.SlugRelatedField[Framework] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    case_uri = serializers.SerializerMethodField(
        help_text=_("This edition as a CASE 1.0 CFPackage.")
    )

    class Meta:
        model = Edition
        fields = [
            "identifier",
            "framework",
            "uri",
            "title",
            "short_title",
            "version",
            "publication_date",
            "publisher",
            "source",
            "official_source_url",
            "licence",
            "description",
            "kind",
            "assesses",
            "language",
            "status",
            "is_current",
            "historical",
            "last_change",
            "case_uri",
        ]
        read_only_fields = fields

    def get_case_uri(self, edition: Edition) -> str:
        from django.urls import reverse

        path = reverse("case_api:package", args=[str(edition.identifier)])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    current_edition = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = ["slug", "title", "current_edition"]
        read_only_fields = fields

    @extend_schema_field(EditionSummarySerializer(allow_null=True))
    def get_current_edition(self, framework: Framework) -> dict[str, Any] | None:
        current = getattr(framework, "current_list", None)
        if not current:
            return None
        return EditionSummarySerializer(current[0], context=self.context).data


class FrameworkDetailSerializer(FrameworkSerializer):
    editions = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "editions"]
        read_only_fields = fields

    @extend_schema_field(EditionSummarySerializer(many=True))
    def get_editions(self, framework: Framework) -> list[dict[str, Any]]:
        editions = getattr(framework, "visible_editions", [])
        return list(EditionSummarySerializer(editions, many=True, context=self.context).data)


class NodeRefSerializer(serializers.Serializer[Any]):
    """The far end of a mapping: a Waymark item, or something outside Waymark (then only
    its identifier, title and address are known)."""

    identifier = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    framework = serializers.CharField(allow_null=True, help_text=_("The framework's short name."))
    edition = serializers.UUIDField(allow_null=True)
    uri = serializers.CharField(allow_blank=True)


def node_ref(node: Node | None, identifier: str, title: str, uri: str) -> dict[str, Any]:
    if node is None:
        return {
            "identifier": identifier,
            "code": None,
            "title": title or identifier,
            "framework": None,
            "edition": None,
            "uri": uri,
        }
    return {
        "identifier": str(node.identifier),
        "code": node.code,
        "title": node.display_title,
        "framework": node.edition.framework.slug,
        "edition": str(node.edition.identifier),
        "uri": node.uri,
    }


class NodeMappingSerializer(serializers.Serializer[Any]):
    identifier = serializers.UUIDField(help_text=_("The association's identifier."))
    type = serializers.ChoiceField(choices=AssociationType.choices)
    kind = serializers.CharField(
        allow_null=True,
        help_text=_(
            "exact, broader, narrower or related, read from this item's side "
            "(broader: the other item contains this one); null for other associations."
        ),
    )
    direction = serializers.ChoiceField(
        choices=[("outgoing", "outgoing"), ("incoming", "incoming")]
    )
    node = NodeRefSerializer()
    confirmed = serializers.BooleanField()


class NodeSerializer(serializers.ModelSerializer[Node]):
    edition: serializers.SlugRelatedField[Edition] = serializers.SlugRelatedField(
        slug_field="identifier", read_only=True
    )
    framework = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]
    children = serializers.SerializerMethodField()
    mappings = serializers.SerializerMethodField()
    item_type = serializers.CharField(source="item_type_label", read_only=True)

    class Meta:
        model = Node
        fields = [
            "identifier",
            "uri",
            "edition",
            "framework",
            "code",
            "title",
            "statement",
            "item_type",
            "competence_type",
            "functional_area",
            "scqf_level",
            "is_central",
            "notes",
            "sequence",
            "depth",
            "parent",
            "children",
            "mappings",
        ]
        read_only_fields = fields

    def get_framework(self, node: Node) -> str:
        return node.edition.framework.slug

    @extend_schema_field(OpenApiTypes.UUID)
    def get_parent(self, node: Node) -> str | None:
        return str(node.parent.identifier) if node.parent is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_children(self, node: Node) -> list[str]:
        return [str(c.identifier) for c in node.children.all()]

    @extend_schema_field(NodeMappingSerializer(many=True))
    def get_mappings(self, node: Node) -> list[dict[str, Any]]:
        out = []
        for a in node.outgoing.all():
            out.append(self._mapping(node, a, a.destination, True))
        for a in node.incoming.all():
            out.append(self._mapping(node, a, a.origin, False))
        return out

    @staticmethod
    def _mapping(node: Node, a: Association, far: Node | None, outgoing: bool) -> dict[str, Any]:
        kind = mapping_kind(a, node)
        if outgoing:
            ref = node_ref(far, a.destination_identifier, a.destination_title, a.destination_uri)
        else:
            ref = node_ref(far, a.origin_identifier, a.origin_title, a.origin_uri)
        return {
            "identifier": str(a.identifier),
            "type": a.association_type,
            "kind": str(kind.value) if kind is not None else None,
            "direction": "outgoing" if outgoing else "incoming",
            "node": ref,
            "confirmed": a.confirmed,
        }


class MappingSerializer(serializers.ModelSerializer[Association]):
    type = serializers.CharField(source="association_type", read_only=True)
    kind = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()
    destination = serializers.SerializerMethodField()
    edition: serializers.SlugRelatedField[Edition] = serializers.SlugRelatedField(
        slug_field="identifier", read_only=True
    )

    class Meta:
        model = Association
        fields = [
            "identifier",
            "type",
            "kind",
            "origin",
            "destination",
            "confirmed",
            "made_by_name",
            "note",
            "edition",
            "created_at",
            "last_change",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=MappingKind.choices, allow_null=True))
    def get_kind(self, a: Association) -> str | None:
        if a.origin is None:
            return None
        kind = mapping_kind(a, a.origin)
        return str(kind.value) if kind is not None else None

    @extend_schema_field(NodeRefSerializer())
    def get_origin(self, a: Association) -> dict[str, Any]:
        return node_ref(a.origin, a.origin_identifier, a.origin_title, a.origin_uri)

    @extend_schema_field(NodeRefSerializer())
    def get_destination(self, a: Association) -> dict[str, Any]:
        return node_ref(
            a.destination, a.destination_identifier, a.destination_title, a.destination_uri
        )


class MappingCreateSerializer(serializers.Serializer[Any]):
    from_node = serializers.SlugRelatedField(
        slug_field="identifier",
        queryset=Node.objects.public(),
        label=_("From item"),
        help_text=_("Identifier of the item the mapping is made from."),
        error_messages={"does_not_exist": _("There is no item with the identifier {value}.")},
    )
    to_node = serializers.SlugRelatedField(
        slug_field="identifier",
        queryset=Node.objects.public(),
        label=_("To item"),
        help_text=_("Identifier of the item it maps to."),
        error_messages={"does_not_exist": _("There is no item with the identifier {value}.")},
    )
    kind = serializers.ChoiceField(
        choices=MappingKind.choices,
        label=_("Kind"),
        help_text=_("Read from the first item's side: broader means the other item contains it."),
    )
    confirmed = serializers.BooleanField(default=False, label=_("Confirmed"))
    note = serializers.CharField(required=False, allow_blank=True, default="", label=_("Reasoning"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["from_node"].pk == attrs["to_node"].pk:
            raise serializers.ValidationError(
                {"to_node": [_("An item cannot be mapped to itself.")]}
            )
        if any(True for _m in mappings_between(attrs["from_node"], attrs["to_node"])):
            raise serializers.ValidationError(
                {"to_node": [_("These items are already mapped; change that mapping instead.")]}
            )
        return attrs


class MappingUpdateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=MappingKind.choices,
        required=False,
        label=_("Kind"),
        help_text=_("Read from the origin's side unless from_node says otherwise."),
    )
    from_node = serializers.UUIDField(
        required=False,
        label=_("Read from item"),
        help_text=_("Identifier of the end the kind is read from (either end of the mapping)."),
    )
    confirmed = serializers.BooleanField(required=False, label=_("Confirmed"))
    note = serializers.CharField(required=False, allow_blank=True, label=_("Reasoning"))


# --- search -------------------------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, label=_("Words to find")
    )
    framework = serializers.SlugField(
        required=False, allow_blank=True, default="", label=_("Framework short name")
    )
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)


class SearchFrameworkSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


class SearchHitSerializer(serializers.Serializer[Any]):
    identifier = serializers.UUIDField(help_text=_("The item's identifier."))
    code = serializers.CharField()
    title = serializers.CharField()
    statement = serializers.CharField()
    snippet = serializers.CharField(
        help_text=_("The statement, HTML-escaped, with the matching words in <mark>.")
    )
    rank = serializers.FloatField(help_text=_("Higher is a better match."))
    framework = SearchFrameworkSerializer()
    edition = serializers.UUIDField()


class SearchPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


# --- organisations ------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    roles = serializers.SerializerMethodField(help_text=_("Your roles in the organisation."))

    class Meta:
        model = Organisation
        fields = ["slug", "name", "sector", "size_band", "region", "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, organisation: Organisation) -> list[str]:
        roles = getattr(organisation, "caller_roles", None)
        if roles is None:
            roles = [m.role for m in getattr(organisation, "my_memberships", [])]
        return sorted(roles)


class MemberSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
