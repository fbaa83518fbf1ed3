from rest_framework import serializers

from opstap.organisations.models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    inhabitants = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Inwoners op de laatste peildatum."
    )
    population_reference_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Peildatum van het inwonertal."
    )

    class Meta:
        model = Municipality
        fields = ["id", "name", "cbs_code", "inhabitants", "population_reference_date"]
