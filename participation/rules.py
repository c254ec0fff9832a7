"""Who may do what with dialogues and residents' questions (read by accounts.permissions).

Loaded by django-rules' autodiscovery, so the one door (``accounts.permissions.allowed``)
answers for these models as for the rest:

* the dialogues behind a period are part of the plan: administrators write them,
  secretaries read them, in their own municipalities;
* residents' questions are moderated and answered by the secretary (and
  administrators) of the question's municipality; nobody adds one in the admin
  (residents ask on the public form), and only an administrator deletes one
  (a request to have one's data removed).
"""

import rules

from accounts.permissions import is_administrator, staff_reader

rules.add_perm("participation.view_dialogue", staff_reader)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"participation.{_action}_dialogue", is_administrator)

rules.add_perm("participation.view_question", staff_reader)
rules.add_perm("participation.add_question", rules.always_deny)
rules.add_perm("participation.change_question", staff_reader)
rules.add_perm("participation.moderate_question", staff_reader)
rules.add_perm("participation.answer_question", staff_reader)
rules.add_perm("participation.delete_question", is_administrator)
