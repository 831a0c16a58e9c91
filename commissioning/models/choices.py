"""Where the register filters' choice lists are kept between changes (commissioning/choice_lists.py)."""

from django.db import models


class DataGeneration(models.Model):
    """A change to the data the choice lists are worked out from: one row a change, the newest
    the current generation. Inserted, never updated, so writers never wait for each other."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = "data generation"

    def __str__(self):
        return f"Generation {self.pk}"


class ChoiceList(models.Model):
    """One filter's choices for one organisation's users (``scope``), as (pk, label) pairs, with
    the data generation they were worked out at: a list of an older generation is not used."""

    key = models.CharField(max_length=100, unique=True, help_text="The scope and the list's name")
    generation = models.BigIntegerField()
    choices = models.JSONField(default=list)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cached choice list"

    def __str__(self):
        return self.key
