"""The demo's partly-done GAN student: left out the 1/2 factors of the least-squares losses
and ran out of time before the DCGAN generator.

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

LS_LOSSES = '''
def ls_discriminator_loss(scores_real, scores_fake):
    return ((scores_real - 1) ** 2).mean() + (scores_fake ** 2).mean()


def ls_generator_loss(scores_fake):
    return ((scores_fake - 1) ** 2).mean()
'''.strip()

DC_GENERATOR = '''
def build_dc_generator(noise_dim=NOISE_DIM):
    # TODO: the transposed convolutions
    raise NotImplementedError("not finished")
'''.strip()

PARTLY = ("partly_done", {"hw3_gans.ipynb": {"ls_losses": LS_LOSSES, "dc_generator": DC_GENERATOR}}, ())
