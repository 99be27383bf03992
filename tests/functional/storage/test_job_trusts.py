"""Which trust a job delete leaves unused, on every engine (spec
``jobs.md``, "Writes", DELETE: "its trust when no other job uses it")."""

from freezer_core import jobs
from freezer_core.storage import job_trusts
from freezer_core.storage import jobs as job_storage
from tests.functional.storage import base
from tests.functional.storage import resources


class TestUnusedTrust(base.RepositoryTestCase):

    def setUp(self):
        super().setUp()
        resources._jobs_setup(self, self.url)
        self.jobs = resources.JobFixtureRepository(self.repository.database)

    def job(self, project_id, trust_id):
        """A job of the central client; ``trust_id`` None: no trust."""
        credentials = None if trust_id is None else {
            'trust_id': trust_id, 'trustor_user_id': 'u'}
        write = jobs.validate_create({
            'client_id': resources.CENTRAL_CLIENT,
            'job_actions': [{'freezer_action': {'action': 'backup'}}]}, 0)
        resources._register(self.jobs.database, project_id,
                            resources.OWN_CLIENT)
        return job_storage.JobRepository.create(
            self.jobs, project_id, 'u', write,
            delegate=lambda client: credentials)['job_id']

    def test_the_last_job_of_a_trust_leaves_it_unused(self):
        first, second = self.job('A', 'trust1'), self.job('A', 'trust1')
        self.assertIsNone(self.jobs.delete('A', first))
        self.assertEqual('trust1', self.jobs.delete('A', second))

    def test_only_the_exact_id_counts(self):
        # A longer id containing it, a LIKE wildcard, another project.
        keep = self.job('A', 'trust1')
        self.job('A', 'trust10')
        self.job('A', 'trust_')
        self.job('B', 'trust1')
        self.assertEqual('trust1', self.jobs.delete('A', keep))
        wildcard = self.job('A', 'tr%')
        self.assertEqual('tr%', self.jobs.delete('A', wildcard))

    def test_a_job_without_a_trust_names_none(self):
        self.job('A', 'trust1')
        self.assertIsNone(self.jobs.delete('A', self.job('A', None)))

    def test_trust_id_of_odd_credentials(self):
        for record in ({}, {'user_credentials': None},
                       {'user_credentials': 'x'},
                       {'user_credentials': {'trust_id': 7}},
                       {'user_credentials': {'trust_id': ''}}):
            self.assertIsNone(job_trusts.trust_id(record))
        self.assertEqual('t', job_trusts.trust_id(
            {'user_credentials': {'trust_id': 't'}}))
