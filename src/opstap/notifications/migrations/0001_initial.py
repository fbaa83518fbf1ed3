"""The Notification model, moved from the providers app with its table (state only: the
table `providers_notification` was created by providers.0001 and keeps its rows)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisations', '0001_initial'),
        ('providers', '0003_reference_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='Korte titel.', max_length=200, verbose_name='titel')),
                ('body', models.TextField(blank=True, help_text='Toelichting.', verbose_name='tekst')),
                ('url', models.CharField(blank=True, help_text='Pagina.', max_length=300, verbose_name='link')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt op')),
                ('read_at', models.DateTimeField(blank=True, help_text='Gelezen.', null=True, verbose_name='gelezen op')),
                ('organisation', models.ForeignKey(help_text='De sociale dienst (tenant) waartoe dit gegeven hoort.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation', verbose_name='organisatie')),
                ('recipient', models.ForeignKey(help_text='Voor wie de melding is.', on_delete=django.db.models.deletion.CASCADE, related_name='provider_notifications', to=settings.AUTH_USER_MODEL, verbose_name='ontvanger')),
            ],
            options={
                'verbose_name': 'melding',
                'verbose_name_plural': 'meldingen',
                'db_table': 'providers_notification',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx')],
            },
        ),
            ],
        ),
    ]
