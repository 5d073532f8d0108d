import streamlit as st

st.title('dialogmote')
st.info('Under arbeid.')
