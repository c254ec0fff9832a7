"""``{% shared_fragment "name" value … %}…{% endshared_fragment %}``: see ``caching.fragments``.

The values after the name are added to the key; the page's path, declared query
parameters, language, today's date and the content generation always are.
"""

from django import template
from django.utils.safestring import mark_safe

from caching import fragments

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context) -> str:
        request = context.get("request")
        key = None
        if request is not None:
            name = self.name.resolve(context)
            key = fragments.fragment_key(request, name, [v.resolve(context) for v in self.vary])
        if key is None:
            return self.nodelist.render(context)
        html = fragments.fetch(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.store(key, str(html))
        return mark_safe(html)  # noqa: S308 - rendered by this template, escaped there


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a name.")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
